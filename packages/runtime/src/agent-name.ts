/**
 * An agent's name becomes `ocf:<provider>:<name>`, a file in /usr/lib/ocf/resource.d/<provider>/,
 * a package name and an nx project: lower case words separated by dashes (the resource-agents
 * convention) fits all of them. The generator checks new names with this same rule.
 */
export const AGENT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Why `name` cannot be an agent's name, or undefined when it can. */
export function agentNameProblem(name: string): string | undefined {
  return AGENT_NAME.test(name) ? undefined : `agent name '${name}': use lower case words separated by dashes (e.g. my-service)`;
}

/**
 * An agent's name and version as its package.json declares them (`@ocfkit/redis` 0.1.0: redis,
 * 0.1.0), so that they are written once. agent.ts imports the JSON: the bundler inlines it, and a
 * bundle never reads package.json at run time.
 */
export function nameAndVersion(manifest: { readonly name: string; readonly version: string }): { name: string; version: string } {
  return { name: manifest.name.slice(manifest.name.lastIndexOf('/') + 1), version: manifest.version };
}
