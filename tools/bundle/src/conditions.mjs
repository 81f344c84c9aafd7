// Workspace packages (@ocfkit/runtime, @ocfkit/testkit) export their TypeScript sources under this
// export condition and their compiled dist/ (what npm publishes) as the default. Everything that
// builds or runs our sources asks for it: esbuild here, tsc (customConditions in
// tsconfig.base.json), vitest (vitest.config.mts). A name of our own, so that no one else's
// toolchain picks the sources, which the published packages do not contain.
export const SOURCE_CONDITIONS = ['ocfkit-source'];
