// When Pacemaker's PATH would find no node, or another one than the agents were installed with,
// `ocfkit link` writes this instead of a symlink: the node is named, PATH no longer matters.
// /bin/sh's exec costs about a millisecond per call.
const MARK = '# Written by "ocfkit link"';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const QUOTED = String.raw`'((?:[^']|'\\'')*)'`;
const unquote = (s: string) => s.replace(/'\\''/g, "'");

export function renderLauncher(node: string, agent: string): string {
  return [
    '#!/bin/sh',
    `${MARK}: runs an npm-installed OCF agent with the node it was linked for.`,
    '# "ocfkit unlink" removes it; "ocfkit link" rewrites it.',
    `exec ${quote(node)} ${quote(agent)} "$@"`,
    '',
  ].join('\n');
}

/** The node and agent of a launcher we wrote; undefined for any other file. */
export function parseLauncher(text: string): { node: string; agent: string } | undefined {
  const lines = text.split('\n');
  if (lines[0] !== '#!/bin/sh' || !lines[1]?.startsWith(MARK)) return undefined;
  const exec = lines.find((l) => l.startsWith('exec '));
  const m = exec?.match(new RegExp(`^exec ${QUOTED} ${QUOTED} "\\$@"$`));
  return m ? { node: unquote(m[1]!), agent: unquote(m[2]!) } : undefined;
}
