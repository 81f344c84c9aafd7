import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO, type WorkspaceCopy } from '../../../nx-plugin/tests/helpers/workspace-copy.ts';

// docs/writing-an-agent.md as data: its fenced blocks, each found by the `<!-- MARKER -->` line
// above it, so that tests run what the page shows.
export const page = readFileSync(join(REPO, 'docs/writing-an-agent.md'), 'utf8');

/** The fenced block right after a `<!-- MARKER -->` line. */
export function blockAfter(marker: string): string {
  const at = page.indexOf(`<!-- ${marker} -->`);
  if (at === -1) throw new Error(`docs/writing-an-agent.md has no <!-- ${marker} -->`);
  return /```\w*\n([\s\S]*?)```/.exec(page.slice(at))![1]!;
}

/** The files the page shows in full (`<!-- file: PATH -->`). */
export const shownFiles = [...page.matchAll(/<!-- file: (\S+) -->/g)].map((m) => m[1]!);

/** Shell-like words of one command (double quotes group, backslash-newline continues). */
export function words(command: string): string[] {
  return [...command.replace(/\\\n/g, ' ').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** The page's generator command, then every file it shows, in `workspace`. */
export function applyWalkthrough(workspace: WorkspaceCopy): void {
  const args = words(blockAfter('walkthrough: generate').trim());
  if (args.slice(0, 4).join(' ') !== 'npx nx g @ocfkit/nx-plugin:agent') throw new Error(`unexpected generator command: ${args.join(' ')}`);
  // without the npm install that would change the shared node_modules
  const generated = workspace.generate(...args.slice(4));
  if (generated.code !== 0) throw new Error(generated.output);
  for (const file of shownFiles) {
    mkdirSync(dirname(join(workspace.root, file)), { recursive: true });
    writeFileSync(join(workspace.root, file), blockAfter(`file: ${file}`));
  }
}
