import { OcfError } from '../ocf-error.ts';
import { bootId } from './boot-id.ts';
import { freshTick } from './clock-tick.ts';
import { holdsSocket, listeningInodes, socketHolders, type Listener } from './listening-socket.ts';
import { readOwnerRecord, removeOwnerRecord, writeOwnerRecord, type OwnerRecord } from './owner-record.ts';
import { loadPidfile } from './pidfile.ts';
import { identify, isAliveAs, liveStat, type ProcessIdentity } from './process-identity.ts';
import { sessionMembers } from './session.ts';
import { spawnService, type LaunchedService, type ServiceOptions } from './spawn-service.ts';
import { terminateAll, type TerminateAllOptions, type TerminatedAll } from './terminate-all.ts';

// The ownership model: an agent reports as its service, and signals, only processes it can prove
// it launched, from kernel facts recorded at launch (pid, start time, boot id) and from sessions
// it created. How a process looks (its exe, argv, uid) proves nothing: exec, setuid and title
// rewriting change all of it.

/** A launch in progress: the spawned process, and the record that now names it. */
export interface OwnedLaunch extends LaunchedService {
  readonly record: string;
  readonly launcher: ProcessIdentity;
}

/** What the record says runs now. */
export type Owned =
  /** No record (never launched, or from before this boot): nothing here is known to be ours. */
  | { readonly state: 'unrecorded' }
  /** The recorded main process runs. */
  | { readonly state: 'running'; readonly main: ProcessIdentity; readonly record: OwnerRecord }
  /** The main process is gone but members of our sessions live on (a leader died, children did not). */
  | { readonly state: 'remnants'; readonly pids: ProcessIdentity[]; readonly record: OwnerRecord }
  /** Recorded, and nothing of it runs. */
  | { readonly state: 'stopped'; readonly record: OwnerRecord };

/** A record of this boot, or undefined. */
function currentRecord(path: string): OwnerRecord | undefined {
  const record = readOwnerRecord(path);
  return record?.bootId === bootId() ? record : undefined;
}

/** Every live process the record proves ours: the main process and the members of its sessions. */
function ownedProcesses(record: OwnerRecord): ProcessIdentity[] {
  const found = new Map<number, ProcessIdentity>();
  if (record.main && isAliveAs(record.main)) found.set(record.main.pid, record.main);
  // the main process's own session too, whenever it made one: a daemon may call setsid after it
  // wrote its pidfile (then the record was written before the session existed)
  const leaders = record.main && !record.sessions.some((leader) => leader.pid === record.main!.pid) ? [...record.sessions, record.main] : record.sessions;
  for (const member of sessionMembers(leaders)) found.set(member.pid, member);
  return [...found.values()];
}

/**
 * Launch a service in its own session (setsid) and record it before anything else is awaited:
 * from then on a stop, even after a failed or killed start, finds what was launched.
 * `daemonizes`: the launcher forks the real service and exits; the main process is then named by
 * `adoptFromPidfile`. Otherwise the launched process is the service.
 */
export async function launchOwned(record: string, options: ServiceOptions & { daemonizes?: boolean }): Promise<OwnedLaunch> {
  let written: Promise<void> | undefined;
  let launcher: ProcessIdentity | undefined;
  const onSpawn = (identity: ProcessIdentity) => {
    launcher = identity;
    written = writeOwnerRecord(record, { bootId: bootId(), launcher: identity, main: options.daemonizes ? undefined : identity, sessions: [identity] });
  };
  // the launcher's start time is "when the launch began": on a fresh tick, no process that exists
  // now can share it, so `starttime < launcher.starttime` means "older than the launch", exactly
  await freshTick();
  try {
    const launched = await spawnService({ ...options, onSpawn });
    await written;
    return { ...launched, record, launcher: launcher! };
  } catch (error) {
    // exec failed: spawnService killed what it spawned; the record names nothing alive
    await written?.catch(() => undefined);
    if (launcher && !isAliveAs(launcher)) await removeOwnerRecord(record).catch(() => undefined);
    throw error;
  }
}

/**
 * A self-daemonizing service's main process: the pid its own pidfile names, accepted only when
 * that process started after the launch began (kernel start times: a pidfile left naming an older
 * process, or a stranger that got its pid, never passes). Recorded with its session when it leads one.
 */
export async function adoptFromPidfile(launch: Pick<OwnedLaunch, 'record' | 'launcher'>, pidfile: string): Promise<ProcessIdentity | undefined> {
  const content = await loadPidfile(pidfile);
  if (content.kind !== 'pid') return undefined;
  const stat = liveStat(content.pid);
  if (!stat || stat.starttime < launch.launcher.starttime) return undefined;
  const main = { pid: content.pid, starttime: stat.starttime };
  const sessions = [launch.launcher];
  if (stat.session !== launch.launcher.pid) {
    // a session created after our launch by one of its descendants (the daemon's setsid)
    const leader = liveStat(stat.session);
    if (leader === undefined || leader.starttime >= launch.launcher.starttime) {
      sessions.push({ pid: stat.session, starttime: leader?.starttime ?? launch.launcher.starttime });
    }
  }
  await writeOwnerRecord(launch.record, { bootId: bootId(), launcher: launch.launcher, main, sessions });
  return main;
}

/**
 * Take `pid` as our service on the word of a fact the service or the kernel gives (a server on
 * our own unix socket naming its pid; the holder of our listening socket), for a service this
 * agent did not launch: one started before an upgrade, or by another agent before a migration.
 * Its session is included only when it leads one (never the shell someone started it from).
 */
export async function adoptProcess(record: string, pid: number): Promise<ProcessIdentity | undefined> {
  const stat = liveStat(pid);
  if (!stat || pid === process.pid) return undefined;
  const main = { pid, starttime: stat.starttime };
  await writeOwnerRecord(record, { bootId: bootId(), launcher: main, main, sessions: stat.session === pid ? [main] : [] });
  return main;
}

/** What runs of what the record names. Reads only the record and /proc; changes nothing. */
export function ownedService(record: string): Owned {
  const recorded = currentRecord(record);
  if (!recorded) return { state: 'unrecorded' };
  if (recorded.main && isAliveAs(recorded.main)) return { state: 'running', main: recorded.main, record: recorded };
  const pids = ownedProcesses(recorded);
  return pids.length > 0 ? { state: 'remnants', pids, record: recorded } : { state: 'stopped', record: recorded };
}

/**
 * Stop everything the record proves ours: the main process and every member of its sessions,
 * even when a session's leader already died. SIGTERM, grace, SIGKILL (see terminateAll). The
 * record is removed once nothing of it runs; nothing it does not name is ever signalled.
 */
export async function stopOwned(record: string, options: TerminateAllOptions): Promise<TerminatedAll> {
  const recorded = currentRecord(record);
  if (!recorded) {
    await removeOwnerRecord(record).catch(() => undefined);
    return { how: 'gone', signalled: [] };
  }
  const result = await terminateAll(() => ownedProcesses(recorded), options);
  // nothing of ours runs now: a record that cannot be removed is harmless (it names only dead processes)
  await removeOwnerRecord(record).catch(() => undefined);
  return result;
}

/**
 * Does `pid` serve `listener`: it holds the listening socket itself, or, when it leads a session
 * (a wrapper that forked the server), a member of its session does? A kernel fact, whatever the
 * processes look like: how an agent recognises its service when no record names it.
 */
export function servesSocket(listener: Listener, pid: number): boolean {
  const leader = identify(pid);
  if (!leader) return false;
  const inodes = listeningInodes(listener);
  if (inodes.size === 0) return false;
  if (holdsSocket(pid, inodes)) return true;
  return liveStat(pid)?.session === pid && sessionMembers([leader]).some((member) => holdsSocket(member.pid, inodes));
}

/** Who holds a listening socket, measured against what a record names. */
export type ListenerHolder =
  /** A process the record proves ours. */
  | { readonly by: 'ours' }
  /** Only processes that were running before the recorded launch: another program has it. */
  | { readonly by: 'older'; readonly pids: number[] }
  /** Nobody this node can see (another network namespace, not listening yet), or a process started since the launch that the record does not name. */
  | { readonly by: 'unknown' };

/**
 * Whose answer is an answer on `listener`: a health check passing proves only that something
 * listens there. Kernel facts decide it (the socket's inode in /proc/net, the holders' fds and
 * start times), so a start never succeeds on the word of another program that holds the port
 * while the service it launched is still on its way to dying of EADDRINUSE.
 */
export function listenerHolder(record: string, listener: Listener): ListenerHolder {
  const inodes = listeningInodes(listener);
  if (inodes.size === 0) return { by: 'unknown' };
  const recorded = currentRecord(record);
  if (recorded && ownedProcesses(recorded).some((own) => holdsSocket(own.pid, inodes))) return { by: 'ours' };
  const holders = socketHolders(inodes).map((pid) => ({ pid, stat: liveStat(pid) }));
  const launchedAt = recorded?.launcher.starttime;
  if (holders.length === 0 || launchedAt === undefined) return { by: 'unknown' };
  if (holders.every((h) => h.stat !== undefined && h.stat.starttime < launchedAt)) return { by: 'older', pids: holders.map((h) => h.pid) };
  return { by: 'unknown' };
}

/**
 * The service an agent manages, found the one way every agent should: the recorded main process
 * when it runs; when nothing is recorded (a service started by an earlier release, or by hand),
 * the process its pidfile names if it serves `listener`, adopted and recorded from then on;
 * undefined when nothing of ours runs. A main process that died while members of its sessions
 * live on throws OCF_ERR_GENERIC naming them: never "not running", or Pacemaker would start a
 * second copy next to them (stop clears them).
 */
export async function findOwned(record: string, unrecorded: { pidfile: string; listener?: () => Listener | undefined; what: string }): Promise<ProcessIdentity | undefined> {
  const owned = ownedService(record);
  if (owned.state === 'running') return owned.main;
  if (owned.state === 'remnants') {
    throw OcfError.generic(`${unrecorded.what} exited but processes it started still run (pid ${owned.pids.map((id) => id.pid).join(', ')})`);
  }
  // the listener is worked out only here: a monitor of a recorded service never needs it
  const listener = owned.state === 'stopped' ? undefined : unrecorded.listener?.();
  if (!listener) return undefined;
  const content = await loadPidfile(unrecorded.pidfile).catch(() => undefined);
  if (content?.kind !== 'pid' || !servesSocket(listener, content.pid)) return undefined;
  return adoptProcess(record, content.pid);
}
