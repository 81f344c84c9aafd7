import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLEAN_PATH } from './pacemaker-env.ts';

// Every place an agent's words can end up, switched on at once, so a test can read them all back:
// HA_LOGFILE, HA_DEBUGLOG with HA_debug, the OCF_TRACE_RA trace file, and syslog. Syslog goes
// through logger(1), as resource-agents' ha_log does; a `logger` earlier on PATH records the lines
// it is given, since a test cannot read the machine's journal.

export interface LogSinks {
  /** Environment for runExecutable's `env`: every sink on; `path` is what follows our logger on PATH. */
  env(path?: string): Record<string, string>;
  /** What each sink holds so far, by name (missing files read as empty). */
  read(): Record<string, string>;
}

export function logSinks(dir: string): LogSinks {
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const files = {
    logfile: join(dir, 'ha.log'),
    debuglog: join(dir, 'ha-debug.log'),
    trace: join(dir, 'trace.log'),
    syslog: join(dir, 'syslog.log'),
  };
  writeFileSync(join(bin, 'logger'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${files.syslog}'\n`);
  chmodSync(join(bin, 'logger'), 0o755);
  return {
    env: (path = CLEAN_PATH) => ({
      PATH: `${bin}:${path}`,
      HA_LOGFILE: files.logfile,
      HA_DEBUGLOG: files.debuglog,
      HA_debug: '1',
      HA_LOGFACILITY: 'daemon',
      OCF_TRACE_RA: '1',
      OCF_TRACE_FILE: files.trace,
    }),
    read: () =>
      Object.fromEntries(Object.entries(files).map(([name, file]) => [name, existsSync(file) ? readFileSync(file, 'utf8') : ''])),
  };
}

/** Each `where: canary` pair where a canary appears in a text (an empty list when nothing leaked). */
export function findCanaries(texts: Record<string, string | undefined>, canaries: readonly string[]): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const canary of canaries) if (text?.includes(canary)) found.push(`${where}: ${canary}`);
  }
  return found;
}
