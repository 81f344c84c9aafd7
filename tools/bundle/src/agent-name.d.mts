export function agentExecutableName(manifest: { readonly name: string }): string;
