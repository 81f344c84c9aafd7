// Reproducible packages (https://reproducible-builds.org/specs/source-date-epoch/): every timestamp
// that ends up in a package (file mtimes, changelog dates, man page dates, RPM build time) is
// SOURCE_DATE_EPOCH, taken from the environment or else from the last commit, never from the clock.
import { spawnSync } from 'node:child_process';

export function sourceDateEpoch(root) {
  const fromEnv = process.env.SOURCE_DATE_EPOCH;
  if (fromEnv && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  const git = spawnSync('git', ['-C', root, 'log', '-1', '--format=%ct'], { encoding: 'utf8' });
  const epoch = Number(git.stdout?.trim());
  if (git.status === 0 && Number.isInteger(epoch) && epoch > 0) return epoch;
  throw new Error('no SOURCE_DATE_EPOCH and no git history to take it from: set SOURCE_DATE_EPOCH');
}

/** 2026-11-24 */
export const isoDate = (epoch) => new Date(epoch * 1000).toISOString().slice(0, 10);

/** Tue, 24 Nov 2026 20:36:15 +0000 (debian/changelog's date) */
export const rfc2822 = (epoch) => new Date(epoch * 1000).toUTCString().replace('GMT', '+0000');

/** Tue Nov 24 2026 (an RPM %changelog date) */
export const rpmDate = (epoch) => {
  const d = new Date(epoch * 1000);
  const [wd, mon] = [d.toUTCString().slice(0, 3), d.toUTCString().slice(8, 11)];
  return `${wd} ${mon} ${String(d.getUTCDate()).padStart(2, '0')} ${d.getUTCFullYear()}`;
};
