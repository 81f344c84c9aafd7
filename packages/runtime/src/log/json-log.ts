// OCFKIT_JSON_LOG=/path: every line also as one pino JSON object (level, time, pid, hostname, msg
// and the fields), for log shippers that would otherwise parse ha_log text. Opt-in, so this module
// and pino are loaded only when the variable is set; the ha_log lines are written either way.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import pino from 'pino';
import type { Fields, Level, LogSettings } from './settings.ts';

export type JsonLog = (level: Level, msg: string, fields?: Fields) => void;

export function createJsonLog(settings: LogSettings & { jsonLog: string }): JsonLog {
  const path = settings.jsonLog;
  const mask = settings.mask ?? ((text: string) => text);
  // synchronous and without transports: a worker thread or a buffer would lose lines at
  // process.exit, which ends every action. Masked as serialised text, like every other output:
  // the secrets are values of declared parameters, wherever in the record they appear.
  const destination = {
    write(chunk: string) {
      try {
        mkdirSync(dirname(path), { recursive: true });
        const fd = openSync(path, 'a', 0o640);
        try {
          writeSync(fd, mask(chunk));
        } finally {
          closeSync(fd);
        }
      } catch {
        // the same line is in the ha_log output; a JSON log that cannot be written loses nothing else
      }
    },
  };
  const logger = pino(
    { level: settings.level, base: { pid: process.pid, hostname: hostname(), agent: settings.agent, instance: settings.instance } },
    destination,
  );
  return (level, msg, fields) => {
    if (fields) logger[level](fields, msg);
    else logger[level](msg);
  };
}
