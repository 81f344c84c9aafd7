import { readFileSync } from 'node:fs';
import { sleep } from '../deadline.ts';
import { liveStat } from './process-identity.ts';

// A process's start time (field 22 of /proc/<pid>/stat) counts clock ticks since boot: hundredths
// of a second. Two processes started within the same hundredth have the same start time, so "did
// this process start after our launch?" has no answer for one started in the launch's own tick.
// A launch therefore begins on a fresh tick: every process that existed before it then has a
// smaller start time than anything the launch starts.

/** Now, in clock ticks since boot: /proc/uptime (the same boot-time clock), in hundredths. */
function bootTicks(): number | undefined {
  try {
    const [seconds, fraction = ''] = readFileSync('/proc/uptime', 'latin1').split(' ', 1)[0]!.split('.');
    const ticks = Number(seconds) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
    return Number.isSafeInteger(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Whether /proc's start times are in hundredths here (USER_HZ 100, as on every Linux we know of): checked against our own. */
let hundredths: boolean | undefined;
function ticksAreHundredths(now: number): boolean {
  hundredths ??= (() => {
    const own = liveStat(process.pid)?.starttime;
    return own !== undefined && own <= now && now - own < 100 * 3600 * 24 * 365;
  })();
  return hundredths;
}

/**
 * Resolves once the clock tick has changed (within 10 ms; at most 50 ms when the tick cannot be
 * read): a process started after this has a later start time than every process that exists now.
 */
export async function freshTick(): Promise<void> {
  const start = bootTicks();
  if (start === undefined || !ticksAreHundredths(start)) return sleep(50);
  for (let waited = 0; waited < 50; waited += 2) {
    const now = bootTicks();
    if (now === undefined || now > start) return;
    await sleep(2);
  }
}
