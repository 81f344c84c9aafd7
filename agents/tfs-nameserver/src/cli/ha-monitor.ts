import { writeSync } from 'node:fs';
import { checkNameServer } from '../heartbeat/client.ts';
import type { TfsError } from '../heartbeat/errors.ts';
import { describeStatus } from '../heartbeat/status.ts';
import { atoi, getopt } from './getopt.ts';

// tfs-ha-monitor: TFS's ha_monitor rewritten on the native heartbeat client, with the same
// command line and exit codes, so that scripts and the original OCF agent can call either.
//   -i IP -p PORT [-s 0|1] [-n]
//   exit 0 when the NameServer answers with status 1-4; otherwise its status as a byte
//   (-1 -> 255; 0, "uninitialised", exits 0 like the original, with the failure line on stderr);
//   missing -i or a bad port: usage, 255; unknown option or missing value: usage, 1.
// Messages go to stderr as tbsys log lines. -n sets the original's log level to ERROR: the
// INFO line of a success is dropped, the ERROR lines of a failure are printed either way.

export interface MainOptions {
  /** Name in the usage line (the executable's name). */
  program?: string;
  /** Where stderr text goes (tests collect it). */
  write?: (text: string) => void;
  signal?: AbortSignal;
}

/** getopt's failures exit with TFS_ERROR (1); the original's bad -i/-p exit with -1 (255). */
const EXIT_USAGE_OPTION = 1;
const EXIT_USAGE_VALUE = 255;

function writeStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // nobody reads stderr: the exit code still counts
  }
}

/** tbsys's timestamp: [2016-01-12 13:30:48], local time. */
function timestamp(date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `[${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}]`;
}

function usageLine(program: string): string {
  return `usage: ${program} -i ipaddr -p port [-s swith flag on=1, off= 0] [-n]\n`;
}

/** The status as ha_monitor keeps it (an int8_t), and the exit code it turns into. */
export function exitCodeFor(status: number): number {
  const byte = (status << 24) >> 24;
  return byte > 0 && byte <= 4 ? 0 : byte & 0xff;
}

/** Run the tool; resolves with the exit code (0-255). */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const program = options.program ?? 'tfs-ha-monitor';
  const write = options.write ?? writeStderr;
  const log = (level: 'INFO' | 'ERROR', message: string) => write(`${timestamp()} ${level} ${message}\n`);

  const parsed = getopt(argv, 'ni:p:s:', program);
  if (!parsed.ok) {
    write(`${parsed.message}\n${usageLine(program)}`);
    return EXIT_USAGE_OPTION;
  }
  let ip = '';
  let port = 0;
  let switchFlag = 0;
  let quiet = false;
  for (const { name, value } of parsed.options) {
    if (name === 'i') ip = value!;
    else if (name === 'p') port = atoi(value!);
    else if (name === 's') switchFlag = atoi(value!);
    else if (name === 'n') quiet = true;
  }
  // ha_monitor's own checks: 65535 is refused too (port >= 0xffff)
  if (ip === '' || ip === ' ' || port <= 0 || port >= 0xffff) {
    write(usageLine(program));
    return EXIT_USAGE_VALUE;
  }

  let status = -1;
  try {
    ({ status } = await checkNameServer({
      host: ip,
      port,
      switchFlag,
      signal: options.signal,
      onTryFailed: (error: TfsError) => log('ERROR', `send packet error: ${error.message}`),
    }));
  } catch (error) {
    // the tries already said why; an abort or an unexpected failure is said here
    const tfs = error as Partial<TfsError>;
    if (tfs.code === 'ABORTED' || tfs.code === undefined) log('ERROR', `send packet error: ${(error as Error).message}`);
  }
  const code = exitCodeFor(status);
  if (code === 0 && status > 0) {
    if (!quiet) log('INFO', `nameserver ${ip}:${port} answered, status: ${describeStatus(status)}`);
  } else {
    log('ERROR', `ping server failed, get status: ${(status << 24) >> 24}`);
  }
  return code;
}
