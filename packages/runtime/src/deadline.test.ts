import { describe, expect, it } from 'vitest';
import { OcfError } from './ocf-error.ts';
import { createDeadline, notYet, reserveFor, shorten, sleep, waitFor } from './deadline.ts';

describe('deadline', () => {
  it('keeps 10% of the budget in hand, between 0.5 and 5 s', () => {
    expect(reserveFor(2000)).toBe(500);
    expect(reserveFor(20_000)).toBe(2000);
    expect(reserveFor(180_000)).toBe(5000);
  });
  it('fires its signal with a reason naming the action', async () => {
    const deadline = createDeadline(600, 'start');
    await expect(sleep(5000, deadline.signal)).rejects.toMatchObject({ reason: 'start did not finish within 100ms of its 600ms timeout' });
  });
});

describe('waitFor', () => {
  it('returns the first value the check gives', async () => {
    let n = 0;
    expect(await waitFor(() => (++n === 3 ? 'ready' : undefined), { signal: new AbortController().signal, what: 'x', intervalMs: 1 })).toBe('ready');
  });
  it('says what it waited for when the deadline comes, also when a check is cut short', async () => {
    const signal = AbortSignal.timeout(50);
    const hanging = () => sleep(10_000, signal).then(() => undefined);
    const error = await waitFor(hanging, { signal, what: 'the service to answer' }).catch((e: OcfError) => e);
    expect(error).toBeInstanceOf(OcfError);
    expect((error as OcfError).reason).toMatch(/^timed out waiting for the service to answer/);
  });
  it('puts the last problem a check reported first, then what it waited for and why it stopped', async () => {
    const deadline = createDeadline(600, 'start');
    let n = 0;
    const error = await waitFor(() => notYet(`status ${500 + (++n % 2)}`), { signal: deadline.signal, what: 'the health check to pass', intervalMs: 10 }).catch((e: OcfError) => e);
    deadline.dispose();
    expect((error as OcfError).reason).toMatch(/^status 50[01] \(timed out waiting for the health check to pass: start did not finish within 100ms of its 600ms timeout\)$/);
  });
  it('keeps the last problem when the deadline cuts a check short', async () => {
    const signal = AbortSignal.timeout(80);
    let n = 0;
    const check = () => (++n === 1 ? notYet('connection refused') : sleep(10_000, signal).then(() => undefined));
    const error = await waitFor(check, { signal, what: 'the service to answer', intervalMs: 1 }).catch((e: OcfError) => e);
    expect((error as OcfError).reason).toBe('connection refused (timed out waiting for the service to answer)');
  });
  it('words a timeout as `explain` says, given the last problem', async () => {
    const signal = AbortSignal.timeout(30);
    const explain = (problem: string, elapsedMs: number) => `gave up after ${elapsedMs >= 20 ? 'the deadline' : 'too little'}; ${problem}`;
    const error = await waitFor(() => notYet('status 503'), { signal, what: 'x', intervalMs: 5, explain }).catch((e: OcfError) => e);
    expect((error as OcfError).reason).toBe('gave up after the deadline; status 503');
  });
  it('lets a check stop the wait with its own error', async () => {
    const error = await waitFor(() => {
      throw OcfError.generic('the service died');
    }, { signal: new AbortController().signal, what: 'x' }).catch((e: OcfError) => e);
    expect((error as OcfError).reason).toBe('the service died');
  });
});

describe('shorten', () => {
  it('fires at the shorter bound with its own reason', async () => {
    const signal = shorten(new AbortController().signal, 20, 'start');
    await expect(sleep(5000, signal)).rejects.toMatchObject({ reason: 'start did not finish within 20ms' });
  });
  it('follows the parent when it fires first', async () => {
    const parent = new AbortController();
    const signal = shorten(parent.signal, 10_000, 'start');
    parent.abort(OcfError.generic('parent'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as OcfError).reason).toBe('parent');
  });
});
