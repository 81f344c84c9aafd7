import { afterEach, describe, expect, it, vi } from 'vitest';
import { inCI, unavailable } from './availability.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('unavailable', () => {
  it('is false when the thing is here, in CI or not', () => {
    for (const ci of ['', 'true']) {
      vi.stubEnv('CI', ci);
      expect(unavailable({ ok: true }, 'nginx')).toBe(false);
    }
  });

  it('skips (true) on a developer machine that lacks it', () => {
    vi.stubEnv('CI', '');
    expect(unavailable({ ok: false, why: 'needs root' }, 'root')).toBe(true);
  });

  it('throws under CI, naming what is missing and why', () => {
    vi.stubEnv('CI', 'true');
    expect(() => unavailable({ ok: false, why: '/usr/sbin/nginx is not installed' }, 'nginx')).toThrow(
      'nginx is needed under CI and is not available: /usr/sbin/nginx is not installed',
    );
  });
});

describe('inCI', () => {
  it('is any value of CI but "", "false" and "0"', () => {
    for (const [value, expected] of Object.entries({ '': false, false: false, '0': false, true: true, '1': true, yes: true })) {
      vi.stubEnv('CI', value);
      expect(inCI(), `CI=${value}`).toBe(expected);
    }
  });
});
