import { writeSync } from 'node:fs';
import type { Agent } from './agent.ts';
import { execute, type Outcome } from './execute.ts';
import { OCF } from './exit-codes.ts';
import { createSecrets } from './log/secrets.ts';
import type { ParamMap } from './params/declare.ts';

/** Write all of `text` to a descriptor, synchronously (process.stdout would cost a stream setup). */
function writeAll(fd: number, text: string): void {
  let buffer = Buffer.from(text);
  while (buffer.length > 0) {
    try {
      buffer = buffer.subarray(writeSync(fd, buffer));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return; // EPIPE: nobody is reading, and the exit code still counts
    }
  }
}

/** One line, so Pacemaker's 128 characters hold its start and no log line breaks in two. */
export function formatReason(reason: string, env: Readonly<Record<string, string | undefined>>): string {
  const prefix = env.OCF_EXIT_REASON_PREFIX ?? 'ocf-exit-reason:';
  return `${prefix}${reason.replace(/\s*[\r\n]+\s*/g, ' | ').trim()}\n`;
}

function emit(outcome: Outcome): never {
  if (outcome.stdout) writeAll(1, outcome.stdout);
  if (outcome.reason && outcome.code !== OCF.SUCCESS) writeAll(2, formatReason(outcome.reason, process.env));
  process.exit(outcome.code);
}

/** The bundle's entry: `agent ACTION` as Pacemaker calls it. Never returns. */
export function runAgent<P extends ParamMap>(agent: Agent<P>): void {
  // shared with execute: a crash's message may quote a secret the action had registered
  const secrets = createSecrets();
  const crash = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    emit({ code: OCF.ERR_GENERIC, reason: secrets.mask(`${process.argv[2] ?? 'action'} crashed: ${message}`) });
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // Pacemaker's timer runs from the fork: Node's own start-up is part of the budget
  const startedAt = Date.now() - process.uptime() * 1000;
  execute(agent, process.argv[2], process.env, { secrets, startedAt }).then(emit, crash);
}
