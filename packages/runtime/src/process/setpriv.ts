import { readlink, realpath } from 'node:fs/promises';
import { OcfError } from '../ocf-error.ts';
import { findExecutable } from './binary.ts';
import { runCommand } from './run-command.ts';
import { isScript } from './shebang.ts';

// Node's spawn `uid`/`gid` drops every supplementary group (libuv calls setgroups(0)); util-linux
// setpriv --init-groups switches identity the way a login does, then execs in the same pid.

/** Where we look for setpriv: system directories only, never a PATH the configuration controls. */
const SYSTEM_PATH = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' };
/** setpriv's exit codes when its execvp fails (util-linux EX_EXEC_FAILED, EX_EXEC_ENOENT). */
const EXEC_FAILED = 126;
const EXEC_ENOENT = 127;
/** setpriv resolves the user's groups through NSS (maybe LDAP) before exec: allow it some time. */
const EXEC_WAIT_MS = 10_000;

/** setpriv's real path (what /proc/<pid>/exe shows until its exec), or undefined when not installed. */
export async function findSetpriv(): Promise<string | undefined> {
  const path = findExecutable('setpriv', SYSTEM_PATH);
  return path === undefined ? undefined : realpath(path);
}

/** The options that make setpriv run the rest of its command line as uid:gid with the user's groups. */
export function setprivIds(uid: number, gid: number): string[] {
  return [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups'];
}

/**
 * setpriv forks nothing: it switches identity and execs the command in the same pid. Wait until
 * /proc/<pid>/exe is no longer setpriv (exec done) or the process exits. Returns the errno name
 * when setpriv's exec failed (its exit codes 127 and 126), undefined once the command runs.
 * A command that itself exits 126/127 at once is taken for an exec failure: the only ambiguity.
 */
export async function waitForExec(pid: number, setpriv: string, exited: () => { exitCode: number | null } | undefined): Promise<string | undefined> {
  const started = Date.now();
  let interval = 1;
  for (;;) {
    const exe = await readlink(`/proc/${pid}/exe`).catch(() => undefined);
    const exit = exited();
    if (exit) return exit.exitCode === EXEC_ENOENT ? 'ENOENT' : exit.exitCode === EXEC_FAILED ? 'EACCES' : undefined;
    if (exe !== undefined && exe !== setpriv) return undefined;
    if (Date.now() - started > EXEC_WAIT_MS) throw OcfError.generic(`setpriv did not start the service within ${EXEC_WAIT_MS / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, interval));
    interval = Math.min(20, interval * 2);
  }
}

/**
 * setpriv's exec does not fail when the user may not run the command (observed with util-linux
 * 2.38: as nobody it exec'd a root-only 0700 binary, and a 0700 script then died with "cannot
 * open"): so ask `test` under the very same identity first (ACLs and parent directories
 * included), for read access too when it is a script, whose interpreter must open it.
 */
export async function checkUserMayRun(setpriv: string, ids: string[], command: string, label: string): Promise<void> {
  const test = findExecutable('test', SYSTEM_PATH);
  if (test === undefined) return;
  const checks = isScript(command) ? ['-x', command, '-a', '-r', command] : ['-x', command];
  const { code } = await runCommand(setpriv, [...ids, '--', test, ...checks], { env: SYSTEM_PATH, timeoutMs: EXEC_WAIT_MS });
  if (code === 1) throw OcfError.perm(`${command}: permission denied${label}`);
}
