import type { Command } from './command.ts';

// Every command is one file exporting `summary`, `help` and `run(argv)`, and one line here. A
// command is loaded only when it runs (or for `ocfkit --help`), so a heavy one costs the others
// nothing.
export const COMMANDS: Record<string, () => Promise<Command>> = {
  link: () => import('./link.ts'),
  unlink: () => import('./unlink.ts'),
  list: () => import('./list.ts'),
  doctor: () => import('./doctor.ts'),
  'test-agent': () => import('./test-agent.ts'),
};
