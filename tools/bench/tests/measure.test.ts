import { describe, expect, it } from 'vitest';
import { ratioRange, report } from '../src/measure.mjs';

const row = (name: string, cpuRuns: number[]) => {
  const sorted = [...cpuRuns].sort((a, b) => a - b);
  return { name, cpuMs: sorted[Math.floor(sorted.length / 2)]!, cpuRuns, wallMs: 1, rssMb: 1, exitCodes: [0] };
};

describe('ratioRange', () => {
  it('keeps each round paired, so load drift shared by both commands does not widen it', () => {
    // the machine slows down over the run, and the command costs 1.25x the base in every round
    const base = Array.from({ length: 30 }, (_, i) => 60 + i * 2);
    const range = ratioRange(row('agent', base.map((x) => x * 1.25)), row('base', base));
    expect(range).toBeDefined();
    expect(range![0]).toBeCloseTo(1.25, 10);
    expect(range![1]).toBeCloseTo(1.25, 10);
  });

  it('spans the ratios a noisy run could have given', () => {
    const base = Array.from({ length: 40 }, (_, i) => 70 + (i % 7));
    const agent = base.map((x, i) => x * 1.2 + (i % 5) * 3);
    const [low, high] = ratioRange(row('agent', agent), row('base', base))!;
    expect(low).toBeLessThan(high);
    const point = row('agent', agent).cpuMs / row('base', base).cpuMs;
    expect(low).toBeLessThanOrEqual(point);
    expect(high).toBeGreaterThanOrEqual(point);
  });

  it('gives nothing without per-run figures', () => {
    expect(ratioRange({ name: 'a', cpuMs: 1 }, { name: 'b', cpuMs: 1 })).toBeUndefined();
  });
});

describe('report', () => {
  it('says when a budget lies inside the range, whatever the verdict', () => {
    const base = Array.from({ length: 30 }, (_, i) => 70 + (i % 6) * 4);
    const agent = base.map((x, i) => x * 1.24 + ((i * 7) % 11) - 5);
    const { text } = report('t', [row('node -e 0', base), row('agent monitor', agent)], {
      base: 'node -e 0',
      budgets: [{ name: 'agent monitor', against: 'node -e 0', maxRatio: 1.25 }],
    });
    expect(text).toMatch(/agent monitor: CPU 1\.\d\d× node -e 0 \(budget 1\.25×; 95% range 1\.\d\d-1\.\d\d, which holds the budget\)/);
  });
});
