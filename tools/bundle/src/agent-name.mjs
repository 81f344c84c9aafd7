// The rule the runtime names an agent by (packages/runtime/src/agent-name.ts, nameAndVersion):
// its package name without the scope, `@ocfkit/redis` → redis. Repeated here because the bundler
// is plain JavaScript and cannot import the runtime's TypeScript; tests/build-targets.test.ts holds
// the two to the same answer for every agent package.

/** The name of an agent package's executable (dist/resource.d/ocfkit/<name>): its name, unscoped. */
export function agentExecutableName(manifest) {
  return manifest.name.slice(manifest.name.lastIndexOf('/') + 1);
}
