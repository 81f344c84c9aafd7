import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * This boot's id (/proc/sys/kernel/random/boot_id). Pids and start times restart at every boot,
 * so a process identity recorded before a reboot names nothing of ours, whatever it matches now.
 */
export function bootId(): string {
  cached ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return cached;
}
