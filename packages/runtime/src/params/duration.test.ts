import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.for([
    ['10s', 10_000],
    ['500ms', 500],
    ['2min', 120_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['30', 30_000],
    [' 1.5s ', 1500],
    ['20 s', 20_000],
    ['250msec', 250],
    ['2sec', 2000],
    ['1hr', 3_600_000],
  ] as const)('%s = %d ms', ([text, ms]) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.for(['', 'soon', '10x', '1m30', '-5s', 's', '5constructor', '1__proto__', '1.s', '10mss'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it('formats for reasons', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(90_000)).toBe('1.5m');
  });
});
