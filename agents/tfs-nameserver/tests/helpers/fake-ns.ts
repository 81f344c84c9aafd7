import { execa } from 'execa';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNameServer } from '../../src/heartbeat/client.ts';

export { freePort } from './ports.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const FAKE_NAMESERVER = join(here, '../fixtures/fake-nameserver/nameserver.cjs');

export type Knobs = Partial<Record<
  'allow_loopback' | 'listen_delay_ms' | 'init_ms' | 'die_after_ms' | 'die_message' | 'frozen' | 'term_ms' | 'ignore_term' | 'argv0',
  string | number | undefined
>>;

export interface NsLayout {
  port: number;
  /** [stand-in] knobs written to the config. */
  knobs?: Knobs;
  devName?: string;
  vip?: string;
  ipList?: string;
  /** Give the basedir to this uid/gid (the NameServer's user must write <work_dir>/logs). */
  owner?: { uid: number; gid: number };
}

/** A TFS install as the agent sees it: <basedir>/bin/nameserver, conf/ns.conf, logs/ (work_dir = basedir). */
export interface NsInstance {
  basedir: string;
  binary: string;
  conf: string;
  pidfile: string;
  logFile: string;
  port: number;
  /** Rewrite conf/ns.conf (same basedir). */
  configure(layout: NsLayout): void;
  /** SIGKILL every process whose command line names this basedir, then remove it. */
  cleanup(): void;
}

function config(basedir: string, layout: NsLayout): string {
  const knobs = { allow_loopback: 1, term_ms: 100, init_ms: 100, ...layout.knobs };
  return [
    '[public]',
    `port = ${layout.port}`,
    `work_dir = ${basedir}`,
    `dev_name = ${layout.devName ?? 'lo'}`,
    `ip_addr = ${layout.vip ?? '127.0.0.1'}`,
    '',
    '[nameserver]',
    `ip_addr_list = ${layout.ipList ?? '127.0.0.1|127.0.0.2'}`,
    '',
    '[stand-in]',
    // a knob given as undefined is left out: the stand-in's own default applies
    ...Object.entries(knobs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} = ${v}`),
    '',
  ].join('\n');
}

/** A fresh basedir with the stand-in installed as bin/nameserver (loopback allowed, fast TERM and init unless told). */
export function makeNsInstance(layout: NsLayout): NsInstance {
  const basedir = mkdtempSync(join(tmpdir(), 'ocfkit-tfs-'));
  chmodSync(basedir, 0o755);
  mkdirSync(join(basedir, 'bin'));
  mkdirSync(join(basedir, 'conf'));
  const binary = join(basedir, 'bin/nameserver');
  copyFileSync(FAKE_NAMESERVER, binary);
  chmodSync(binary, 0o755);
  const conf = join(basedir, 'conf/ns.conf');
  const instance: NsInstance = {
    basedir,
    binary,
    conf,
    pidfile: join(basedir, 'logs/nameserver.pid'),
    logFile: join(basedir, 'logs/nameserver.log'),
    port: layout.port,
    configure: (next) => {
      instance.port = next.port;
      writeFileSync(conf, config(basedir, next));
    },
    cleanup: () => {
      for (const pid of processesMentioning(basedir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(basedir, { recursive: true, force: true });
    },
  };
  instance.configure(layout);
  if (layout.owner) for (const path of [basedir, join(basedir, 'bin'), join(basedir, 'conf'), binary, conf]) chownSync(path, layout.owner.uid, layout.owner.gid);
  return instance;
}

export interface Launched {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Run the launcher as the agent does (`<basedir>/bin/nameserver -f <conf> -d`) and wait for it to exit. */
export async function launch(ns: NsInstance, args = ['-f', ns.conf, '-d'], env: Record<string, string> = {}): Promise<Launched> {
  const r = await execa(ns.binary, args, { env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env }, extendEnv: false, stripFinalNewline: false, reject: false });
  return { code: r.exitCode ?? null, signal: r.signal ?? null, stdout: r.stdout, stderr: r.stderr };
}

export { pidIn, alive } from '@ocfkit/testkit';

/** No process at all with this pid, not even a zombie waiting to be reaped (what kill(pid, 0) sees). */
export function reaped(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function logLines(ns: NsInstance): string[] {
  try {
    return readFileSync(ns.logFile, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

import { processesMentioning } from '@ocfkit/testkit';

export { processesMentioning };

/** vi.waitFor's options for a state the stand-in reaches on its own: generous, two cores may be busy. */
export const SETTLE = { timeout: 15_000, interval: 20 };

/** The stand-in's heartbeat status, or what kept it from answering (what a failed wait shows). */
export function statusOf(ns: NsInstance): Promise<number | string> {
  return checkNameServer({ host: '127.0.0.1', port: ns.port, tries: 1 }).then(
    (reply) => reply.status,
    (error: Error) => error.message,
  );
}
