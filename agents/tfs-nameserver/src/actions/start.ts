import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OcfError,
  adoptFromPidfile,
  identify,
  isAliveAs,
  launchOwned,
  loadPidfile,
  notYet,
  removePidfile,
  stopOwned,
  waitFor,
  type Context,
  type OwnedLaunch,
  type ProcessIdentity,
} from '@ocfkit/runtime';
import { confPath, nsLogFile, readNsConf } from '../config/ns-conf.ts';
import { checkHealth } from '../health/check.ts';
import { tbsysMessage, lastWords } from '../last-words.ts';
import { binaryPath, findNs, recordOf } from '../nameserver.ts';
import type { Params } from '../params.ts';

type Ctx = Context<Params>;

/** The launcher forks the daemon and exits; the daemon writes its pidfile at once. */
const PIDFILE_GRACE_MS = 5000;
/** Time a failed start gives what it launched to exit on SIGTERM before SIGKILL (the NameServer needs 2-3 s). */
const FAILED_START_GRACE_MS = 3000;

/**
 * A pidfile that names any live process makes the NameServer refuse to start ("has been exist"),
 * and it never removes its own. Start runs only when nothing of ours runs, so whatever the file
 * names is not our NameServer: clearing the file is safe (nothing is signalled).
 */
async function clearStalePidfile(ctx: Ctx): Promise<void> {
  const content = await loadPidfile(ctx.params.pidfile);
  if (content.kind === 'missing') return;
  const other = content.kind === 'pid' ? identify(content.pid) : undefined;
  ctx.log.info('removing stale pidfile', { pidfile: ctx.params.pidfile, names: content.kind === 'pid' ? content.pid : 'garbage', now: other ? 'another process' : 'no such process' });
  await removePidfile(ctx.params.pidfile);
}

/** What the launcher printed (its stderr/stdout went to a private file), for exit reasons. */
async function launcherSaid(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines.slice(-2).map((l) => tbsysMessage(l).message).join(' | ') : undefined;
}

interface Launch {
  owned: OwnedLaunch;
  startedAt: number;
  output: string;
}

/** `<basedir>/bin/nameserver -f <basedir>/conf/ns.conf -d`, by full path, as `user`, no shell. */
async function launch(ctx: Ctx, dir: string): Promise<Launch> {
  const p = ctx.params;
  const output = join(dir, 'launcher.out');
  const startedAt = Date.now();
  const owned = await launchOwned(recordOf(p), {
    daemonizes: true,
    command: binaryPath(p.basedir),
    args: ['-f', confPath(p.basedir), '-d'],
    cwd: p.basedir,
    user: p.user,
    logFile: output,
  });
  ctx.log.info('NameServer launched', { launcher: owned.pid, user: p.user });
  return { owned, startedAt, output };
}

/** The reason a start failed, from what the launcher printed and the end of nameserver.log. */
async function failure(ctx: Ctx, launched: Launch, what: string): Promise<OcfError> {
  const conf = await readNsConf(ctx.params.basedir);
  const logFile = nsLogFile(conf);
  // a log older than this start is the previous run's: its last words are not this failure's
  const fresh = await stat(logFile).then((s) => s.mtimeMs >= launched.startedAt - 1000, () => false);
  const words = [await launcherSaid(launched.output), fresh ? await lastWords(logFile) : undefined].filter(Boolean);
  return OcfError.generic(words.length ? `${what}: ${words.join(' | ')}` : `${what}; nothing in ${logFile}`);
}

/** Wait for the daemon: the process its pidfile names, once that is one this launch started. */
async function waitForDaemon(ctx: Ctx, launched: Launch): Promise<ProcessIdentity> {
  const p = ctx.params;
  let exitedAt: number | undefined;
  return waitFor(
    async () => {
      const ns = await adoptFromPidfile(launched.owned, p.pidfile);
      if (ns) return ns;
      if (exitedAt === undefined && !isAliveAs(launched.owned.launcher)) exitedAt = Date.now();
      if (exitedAt === undefined) return undefined;
      const content = await loadPidfile(p.pidfile).catch(() => undefined);
      if (content?.kind === 'pid') {
        // the daemon may have written its pid after our first read (the launcher exits first):
        // only a pid that still cannot be adopted is a daemon that died during start
        const late = await adoptFromPidfile(launched.owned, p.pidfile);
        if (late) return late;
        throw await failure(ctx, launched, `NameServer (pid ${content.pid}) exited during start`);
      }
      if (Date.now() - exitedAt > PIDFILE_GRACE_MS) throw await failure(ctx, launched, `NameServer did not start: no pid in ${p.pidfile}`);
      return undefined;
    },
    { signal: ctx.signal, what: `${p.pidfile} to name a running NameServer`, intervalMs: 20, maxIntervalMs: 250 },
  );
}

/**
 * Wait until the heartbeat says initialised; fail at once if the NameServer dies meanwhile. On a
 * timeout the last heartbeat's answer says why, and comes first.
 */
async function waitInitialised(ctx: Ctx, ns: ProcessIdentity, launched: Launch | undefined): Promise<void> {
  const p = ctx.params;
  await waitFor(
    async () => {
      if (!isAliveAs(ns)) {
        const what = `NameServer (pid ${ns.pid}) exited during start`;
        if (launched) throw await failure(ctx, launched, what);
        const words = await lastWords(nsLogFile(await readNsConf(p.basedir)));
        throw OcfError.generic(words ? `${what}: ${words}` : what);
      }
      // a check the deadline cuts short throws: waitFor then reports the last answer
      const health = await checkHealth(ctx, { tries: 1 });
      return health.ok || notYet(health.problem);
    },
    { signal: ctx.signal, what: 'the NameServer to answer the heartbeat as initialised', intervalMs: 100, maxIntervalMs: 500 },
  );
}

/** ha_monitor -s 1: the NameServer re-checks its role now, and takes the master role if it holds the VIP. */
async function sendSwitch(ctx: Ctx, ns: ProcessIdentity): Promise<void> {
  const health = await checkHealth(ctx, { switchFlag: 1 });
  if (!health.ok) throw OcfError.generic(`NameServer (pid ${ns.pid}) did not take the switch: ${health.problem}`);
  ctx.log.info('switch sent', { pid: ns.pid, answer: health.detail });
}

/**
 * Start returns only once the NameServer answers as initialised and has been told to check its
 * role (the switch); if it already runs, only the switch. The launcher's exit 0 means nothing
 * (it forks and exits before the daemon has checked its port, config or role), so start watches
 * the daemon itself and fails with its last words if it dies.
 */
export async function start(ctx: Ctx): Promise<void> {
  const p = ctx.params;
  let ns: ProcessIdentity | undefined;
  try {
    ns = await findNs(p);
  } catch (error) {
    // what is left of a dead NameServer is cleared before a new one starts next to it
    if (!(error instanceof OcfError)) throw error;
    ctx.log.warn(`${error.reason}: stopping them before start`);
    await stopOwned(recordOf(p), { graceMs: FAILED_START_GRACE_MS, signal: ctx.signal });
  }
  if (ns) {
    ctx.log.info('NameServer already running: switch only', { pid: ns.pid });
    await waitInitialised(ctx, ns, undefined);
  } else {
    ns = await launchInitialised(ctx);
  }
  await sendSwitch(ctx, ns);
}

/** Launch the NameServer and wait until it is initialised; a failed start leaves nothing it launched running. */
async function launchInitialised(ctx: Ctx): Promise<ProcessIdentity> {
  await clearStalePidfile(ctx);
  const dir = await mkdtemp(join(tmpdir(), 'ocfkit-tfs-start-'));
  let launched: Launch | undefined;
  try {
    launched = await launch(ctx, dir);
    const ns = await waitForDaemon(ctx, launched);
    ctx.log.info('NameServer running', { pid: ns.pid });
    await waitInitialised(ctx, ns, launched);
    return ns;
  } catch (error) {
    if (launched) {
      const { signalled } = await stopOwned(launched.owned.record, { graceMs: FAILED_START_GRACE_MS, signal: ctx.signal });
      if (signalled.length > 0) ctx.log.warn(`start failed: stopped what it launched (pid ${signalled.map((id) => id.pid).join(', ')})`);
      // the NameServer never removes its pidfile, and refuses to start while it names a live pid
      await removePidfile(ctx.params.pidfile).catch(() => undefined);
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
