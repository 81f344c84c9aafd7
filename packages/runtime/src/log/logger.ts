import { haLogLine, haLogWriter } from './ha-log.ts';
import type { JsonLog } from './json-log.ts';
import { LEVEL_RANK, type Fields, type Level, type LogSettings } from './settings.ts';
import { maskUserinfo } from './secrets.ts';

export { logSettings, type Fields, type Level, type LogSettings } from './settings.ts';

export interface Logger {
  trace(msg: string, fields?: Fields): void;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export interface RuntimeLogger extends Logger {
  /** Resolves when every line so far is in the JSON log too (ha_log lines are written at once). */
  flush(): Promise<void>;
}

/**
 * The call's logger: each line at an enabled level is rendered once as ha_log text, masked whole
 * (so every destination gets the same text, and a URL's userinfo is masked even without declared
 * secrets), and written synchronously. A monitor with nothing to say does nothing at all.
 */
export function createLogger(settings: LogSettings): RuntimeLogger {
  const mask = settings.mask ?? maskUserinfo;
  let write: ((level: Level, line: string) => void) | undefined;
  let json: Promise<JsonLog> | undefined;
  let pending: Promise<void> = Promise.resolve();
  const emit = (level: Level) => (msg: string, fields?: Fields) => {
    if (LEVEL_RANK[level] < LEVEL_RANK[settings.level]) return;
    write ??= haLogWriter(settings);
    write(level, mask(haLogLine(settings.tag, level, String(msg), fields)));
    if (settings.jsonLog) {
      const jsonLog = settings.jsonLog;
      // loaded on the first line, and only when asked for: parsing and starting pino costs about
      // 70 M instructions, most of a bare node start (the bundle keeps it as an unparsed string)
      json ??= import('./json-log.ts').then(({ createJsonLog }) => createJsonLog({ ...settings, jsonLog }));
      // a JSON log that cannot be loaded must not fail the action: the ha_log line is written
      json = json.catch(() => () => {});
      pending = pending.then(() => json).then((log) => log?.(level, msg, fields));
    }
  };
  return {
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    flush: () => pending,
  };
}
