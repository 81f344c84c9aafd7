import { haLogLine, haLogWriter } from './ha-log.ts';
import { createJsonLog, type JsonLog } from './json-log.ts';
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

/**
 * The call's logger: each line at an enabled level is rendered once as ha_log text, masked whole
 * (so every destination gets the same text, and a URL's userinfo is masked even without declared
 * secrets), and written synchronously. A monitor with nothing to say does nothing at all.
 */
export function createLogger(settings: LogSettings): Logger {
  const mask = settings.mask ?? maskUserinfo;
  let write: ((level: Level, line: string) => void) | undefined;
  let json: JsonLog | undefined;
  const emit = (level: Level) => (msg: string, fields?: Fields) => {
    if (LEVEL_RANK[level] < LEVEL_RANK[settings.level]) return;
    write ??= haLogWriter(settings);
    write(level, mask(haLogLine(settings.tag, level, String(msg), fields)));
    if (settings.jsonLog) {
      json ??= createJsonLog({ ...settings, jsonLog: settings.jsonLog });
      json(level, String(msg), fields);
    }
  };
  return { trace: emit('trace'), debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
