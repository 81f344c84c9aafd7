// OCFKIT_JSON_LOG=/path: every line also as one JSON object, for log shippers that would otherwise
// parse ha_log text. The objects have pino's shape (numeric level, time in epoch ms, pid, hostname,
// the fields, msg), so a pipeline set up for pino reads them as they are. pino itself is not used:
// an action writes a handful of lines and exits, synchronously, and that is one JSON.stringify per
// line; carrying pino cost every call about 1 ms of CPU to parse its 65 KB, log or no log.
import { hostname } from 'node:os';
import { appendTo } from './ha-log.ts';
import { LEVEL_RANK, type Fields, type Level, type LogSettings } from './settings.ts';

export type JsonLog = (level: Level, msg: string, fields?: Fields) => void;

/** Errors as pino's serializer writes them; JSON.stringify would give `{}`. */
function plain(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  return typeof value === 'bigint' ? String(value) : value;
}

export function createJsonLog(settings: LogSettings & { jsonLog: string }): JsonLog {
  const path = settings.jsonLog;
  const mask = settings.mask ?? ((text: string) => text);
  const base = { pid: process.pid, hostname: hostname(), agent: settings.agent, instance: settings.instance };
  return (level, msg, fields) => {
    // masked as serialised text, like every other output: the secrets are values of declared
    // parameters, wherever in the record they appear
    const line = mask(`${JSON.stringify({ level: LEVEL_RANK[level], time: Date.now(), ...base, ...fields, msg }, plain)}\n`);
    // opened per line and appended: nothing buffered is lost at process.exit, which ends every
    // action; a JSON log that cannot be written loses nothing else (the ha_log line is written)
    appendTo(path, line);
  };
}
