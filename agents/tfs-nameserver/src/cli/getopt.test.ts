import { describe, expect, it } from 'vitest';
import { atoi, getopt } from './getopt.ts';

describe('getopt "ni:p:s:"', () => {
  const parse = (...argv: string[]) => getopt(argv, 'ni:p:s:', 'ha_monitor');

  it('reads separate, attached and clustered forms', () => {
    expect(parse('-i', '10.0.0.5', '-p3100', '-ns', '1')).toEqual({
      ok: true,
      options: [
        { name: 'i', value: '10.0.0.5' },
        { name: 'p', value: '3100' },
        { name: 'n' },
        { name: 's', value: '1' },
      ],
      operands: [],
    });
  });

  it('skips operands anywhere and stops at --', () => {
    expect(parse('extra', '-n', '--', '-i', 'x')).toEqual({ ok: true, options: [{ name: 'n' }], operands: ['extra', '-i', 'x'] });
  });

  it('takes the next word as the value whatever it looks like', () => {
    expect(parse('-i', '-n')).toEqual({ ok: true, options: [{ name: 'i', value: '-n' }], operands: [] });
  });

  it('says what glibc says about unknown options and missing values', () => {
    expect(parse('-x')).toEqual({ ok: false, message: "ha_monitor: invalid option -- 'x'" });
    expect(parse('--port=1')).toEqual({ ok: false, message: "ha_monitor: invalid option -- '-'" });
    expect(parse('-p')).toEqual({ ok: false, message: "ha_monitor: option requires an argument -- 'p'" });
  });
});

describe('atoi', () => {
  it('reads as C does', () => {
    expect(atoi('3100')).toBe(3100);
    expect(atoi('  3100x')).toBe(3100);
    expect(atoi('+7')).toBe(7);
    expect(atoi('-1')).toBe(-1);
    expect(atoi('abc')).toBe(0);
    expect(atoi('')).toBe(0);
    expect(atoi('4294967297')).toBe(1); // (int)strtol wraps
    expect(atoi('99999999999999999999')).toBe(-1); // strtol clamps to LONG_MAX, (int) keeps the low bits
  });
});
