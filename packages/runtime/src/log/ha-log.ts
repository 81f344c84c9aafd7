// Log lines the way resource-agents' ha_log writes them, to the places it writes them, so that an
// operator greps one pacemaker.log for shell and ocfkit agents alike:
//   http-service(web)[4242]:	2026/11/24_17:31:00 INFO: started pid=4243
// Written synchronously, each line opened-appended-closed: Pacemaker starts a process per action
// and it exits right after, so a buffered line would be lost (and a log rotated meanwhile missed).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Fields, Level, LogSettings } from './settings.ts';

const SYSLOG_PRIORITY: Record<Level, string> = { trace: 'debug', debug: 'debug', info: 'info', warn: 'warning', error: 'err' };
const FACILITIES = new Set([
  'auth', 'authpriv', 'cron', 'daemon', 'kern', 'lpr', 'mail', 'news', 'syslog', 'user', 'uucp',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
]);

/** A field's value as `key=value`: bare when it is one word, else JSON (quotes and escapes kept). */
function fieldText(value: unknown): string {
  if (typeof value === 'string' && value !== '' && !/\s/.test(value)) return value;
  if (typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a cycle: the line still gets written
  }
}

/** One ha_log line, with its newline; fields holding `undefined` are left out. */
export function haLogLine(tag: string, level: Level, msg: string, fields?: Fields, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())}_${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  let extra = '';
  if (fields) for (const key of Object.keys(fields)) if (fields[key] !== undefined) extra += ` ${key}=${fieldText(fields[key])}`;
  return `${tag}:\t${stamp} ${level.toUpperCase()}: ${msg}${extra}\n`;
}

/** Append to a file (created 0640 with its directories), or write to a descriptor number. */
export function appendTo(path: string, line: string): boolean {
  try {
    if (/^\d+$/.test(path)) {
      writeSync(Number(path), line);
      return true;
    }
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a', 0o640);
    try {
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Where ha_log sends a line: trace lines to OCF_TRACE_FILE; HA_LOGFILE (or PCMK_logfile) for
 * info and above; debug lines to HA_DEBUGLOG, or to the log file when there is none; syslog
 * through logger(1) when HA_LOGFACILITY/PCMK_logfacility names a facility; and stderr (which
 * pacemaker-execd logs) when nothing else took the line.
 */
export function haLogWriter(settings: LogSettings): (level: Level, line: string) => void {
  const { env, tag } = settings;
  const logfile = env.HA_LOGFILE || env.PCMK_logfile;
  const debuglog = env.HA_DEBUGLOG;
  const facility = (env.HA_LOGFACILITY || env.PCMK_logfacility || '').trim();
  const syslog = FACILITIES.has(facility) ? facility : undefined;
  return (level, line) => {
    if (level === 'trace' && settings.traceTo) {
      appendTo(settings.traceTo, line);
      return;
    }
    let written = false;
    if (logfile && level !== 'debug') written = appendTo(logfile, line);
    if (debuglog && (level === 'debug' || logfile !== debuglog)) written = appendTo(debuglog, line) || written;
    else if (level === 'debug' && logfile) written = appendTo(logfile, line) || written;
    if (syslog && level !== 'debug') {
      const r = spawnSync('logger', ['-t', tag, '-p', `${syslog}.${SYSLOG_PRIORITY[level]}`, '--', line.trimEnd()], {
        stdio: 'ignore',
        timeout: 2000,
      });
      written = r.status === 0 || written;
    }
    if (!written) appendTo('2', line);
  };
}
