import { describe, expect, it } from 'vitest';
import { budgetShare } from './budget-share.ts';

describe('budgetShare', () => {
  it('says in words what it computes', () => {
    const share = budgetShare(2, 3, 'stop');
    expect(share.text).toBe("two thirds of the stop operation's timeout");
    expect(share.of({ remaining: () => 9000 })).toBe(6000);
    expect(share.of({ remaining: () => 100 })).toBe(66);
  });
  it('writes a fraction it has no words for as a fraction', () => {
    expect(budgetShare(5, 8, 'start').text).toBe("5/8 of the start operation's timeout");
  });
  it('refuses what is not a share', () => {
    expect(() => budgetShare(3, 2, 'stop')).toThrow('budget share 3/2: a fraction between 0 and 1');
  });
});
