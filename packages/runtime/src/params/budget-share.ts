import type { Deadline } from '../deadline.ts';

const WORDS: Readonly<Record<string, string>> = { '1/2': 'half', '1/3': 'a third', '2/3': 'two thirds', '1/4': 'a quarter', '3/4': 'three quarters' };

/**
 * A default that is a share of an action's time ("two thirds of the stop operation's timeout"),
 * declared once: the words operators read in the metadata and the milliseconds the action uses
 * come from the same fraction, so they cannot drift apart.
 */
export interface BudgetShare {
  /** For a longdesc: "two thirds of the stop operation's timeout". */
  readonly text: string;
  /** The share of what is left of the action's own deadline, in whole milliseconds. */
  of(deadline: Pick<Deadline, 'remaining'>): number;
}

export function budgetShare(numerator: number, denominator: number, action: string): BudgetShare {
  if (!(numerator > 0 && numerator < denominator)) throw new Error(`budget share ${numerator}/${denominator}: a fraction between 0 and 1`);
  const fraction = `${numerator}/${denominator}`;
  return {
    text: `${WORDS[fraction] ?? fraction} of the ${action} operation's timeout`,
    of: (deadline) => Math.floor((deadline.remaining() * numerator) / denominator),
  };
}
