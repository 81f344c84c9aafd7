import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { Fields, Level, LogSettings } from './logger.ts';
import { MASK, maskUserinfo } from './secrets.ts';

export interface LogSink {
  write(level: Level, msg: string, fields?: Fields): void;
}

const SYSLOG_LEVEL: Record<Level, string> = { trace: 'debug', debug: 'debug', info: 'info', warn: 'warning', error: 'err' };
const FACILITIES = new Set([
  'auth', 'authpriv', 'cron', 'daemon', 'kern', 'lpr', 'mail', 'news', 'syslog', 'user', 'uucp',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
]);

// Lines the way resource-agents' ha_log writes them into pacemaker.log, so operators can grep
// one file: "http-service(web)[4242]:  2026/11/24_17:31:00 INFO: started pid=4243".
function render(tag: string, level: Level, record: Record<string, unknown>): string {
  const { level: _l, msg, ...fields } = record;
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())}_${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${tag}:\t${stamp} ${level.toUpperCase()}: ${String(msg)}${extra ? ` ${extra}` : ''}\n`;
}

function appendTo(path: string, line: string): boolean {
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
 * pino, synchronous and without transports (a worker thread would lose lines at process.exit and
 * cost more than the whole action). Its JSON line is rendered into ha_log's text format and routed:
 * to HA_LOGFILE/PCMK_logfile, HA_DEBUGLOG for debug, syslog through `logger(1)` when a facility is
 * named, and stderr (which pacemaker-execd logs) when no file is configured or writing fails.
 */
export function createSink(settings: LogSettings): LogSink {
  const { env, tag } = settings;
  const logfile = env.HA_LOGFILE || env.PCMK_logfile;
  const debuglog = env.HA_DEBUGLOG;
  const facility = (env.HA_LOGFACILITY || env.PCMK_logfacility || '').trim();
  const syslog = FACILITIES.has(facility) ? facility : undefined;

  const route = (line: string, level: Level) => {
    let written = false;
    if (level === 'trace' && settings.traceTo) {
      appendTo(settings.traceTo, line);
      return;
    }
    if (logfile && level !== 'debug') written = appendTo(logfile, line);
    if (debuglog && (level === 'debug' || logfile !== debuglog)) written = appendTo(debuglog, line) || written;
    else if (level === 'debug' && logfile) written = appendTo(logfile, line) || written;
    if (syslog && level !== 'debug') {
      const r = spawnSync('logger', ['-t', tag, '-p', `${syslog}.${SYSLOG_LEVEL[level]}`, '--', line.trimEnd()], {
        stdio: 'ignore',
        timeout: 2000,
      });
      written = r.status === 0 || written;
    }
    if (!written) appendTo('2', line);
  };

  // the rendered line is masked whole, once, so that every sink (file, debug file, trace file,
  // syslog, stderr) gets the same text; a URL's userinfo is masked even without a call's secrets
  const mask = settings.mask ?? maskUserinfo;
  let current: Level = 'info';
  const stream = {
    write(chunk: string) {
      route(mask(render(tag, current, JSON.parse(chunk) as Record<string, unknown>)), current);
    },
  };
  const logger = pino(
    {
      level: settings.level,
      base: undefined,
      timestamp: false,
      formatters: { level: (label: string) => ({ level: label }) },
      redact: { paths: ['password', 'pass', 'secret', '*.password', '*.pass', '*.secret'], censor: MASK },
    },
    stream,
  );
  return {
    write(level, msg, fields) {
      current = level;
      if (fields) logger[level](fields, msg);
      else logger[level](msg);
    },
  };
}
