import { runTool, runToolOrThrow, type ToolContext } from './tool.ts';

// Private node attributes (attrd_updater -p): held by pacemaker-attrd on every node, never written
// to the CIB, gone when the node leaves. PAF records each standby's replication position this way
// in the pre-promote notification, for the promoting node to compare just before it promotes.

export async function setPrivateAttribute(ctx: ToolContext, node: string, name: string, value: string): Promise<void> {
  await runToolOrThrow(ctx, 'attrd_updater', ['-p', '-N', node, '-n', name, '-U', value], `record ${name} for ${node}`);
}

/** attrd_updater cannot remove an attribute; -D empties it, which readers treat as absent. */
export async function clearPrivateAttribute(ctx: ToolContext, node: string, name: string): Promise<void> {
  await runToolOrThrow(ctx, 'attrd_updater', ['-p', '-N', node, '-n', name, '-D'], `clear ${name} for ${node}`);
}

/** `name="x" host="node1" value="..."`, one line per node that has it. */
export function parseAttrdQuery(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const host = /\bhost="([^"]*)"/.exec(line)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(line)?.[1];
    if (host !== undefined && value !== undefined && value !== '') values.set(host, value);
  }
  return values;
}

/** Every node's value (empty values left out). An attribute nobody set is an empty map, not an error. */
export async function queryPrivateAttribute(ctx: ToolContext, name: string): Promise<Map<string, string>> {
  const result = await runTool(ctx, 'attrd_updater', ['-Q', '-A', '-n', name]);
  return result.code === 0 ? parseAttrdQuery(result.stdout) : new Map();
}
