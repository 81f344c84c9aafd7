import { resolve } from 'node:path';
import { CliError } from './cli-error.ts';
import { findInPath, isExecutable, PACEMAKER_PATH, realpathOrUndefined } from './pacemaker-path.ts';

/** How Pacemaker will start the linked agents: through their `#!/usr/bin/env node`, or a launcher. */
export type Runner = { kind: 'symlink'; node: string } | { kind: 'launcher'; node: string; pacemakerNode?: string };

/**
 * The agents should run with the node they were installed with (`--node`, else the one running
 * ocfkit). A symlink is enough when Pacemaker's PATH finds that very node; otherwise a launcher
 * names it (nvm, a tarball in /opt, a node that is not first on that PATH).
 */
export function chooseRunner(nodeOption?: string): Runner {
  const node = nodeOption ? resolve(nodeOption) : process.execPath;
  if (!isExecutable(node)) throw CliError.usage(`--node ${nodeOption}: not an executable file`);
  const pacemakerNode = findInPath('node', PACEMAKER_PATH);
  if (pacemakerNode && realpathOrUndefined(pacemakerNode) === realpathOrUndefined(node)) return { kind: 'symlink', node: pacemakerNode };
  return { kind: 'launcher', node, pacemakerNode };
}
