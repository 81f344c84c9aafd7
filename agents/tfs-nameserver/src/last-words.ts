import { tailFile } from '@ocfkit/runtime';

/**
 * tbsys log lines look like "[2024-11-24 17:56:00.123456] ERROR initialize (nameserver.cpp:371)
 * [140234] listen port: 3100 fail": the operator needs only the message.
 */
const TBSYS_PREFIX = /^\[[^\]]*\]\s+([A-Z]+)\s+(?:\S+\s+\([^)]*\)\s+)?(?:\[\d+\]\s+)?/;

export function tbsysMessage(line: string): { level?: string; message: string } {
  const match = TBSYS_PREFIX.exec(line);
  return match ? { level: match[1], message: line.slice(match[0].length) } : { message: line };
}

/**
 * Why the NameServer died, from the end of its log: the last ERROR line if the tail has one
 * (it logs its fatal error, then a few lines while shutting down), else the last line.
 */
export async function lastWords(logFile: string): Promise<string | undefined> {
  const lines = (await tailFile(logFile, 20)).map(tbsysMessage);
  const error = lines.filter((l) => l.level === 'ERROR').at(-1);
  return (error ?? lines.at(-1))?.message;
}
