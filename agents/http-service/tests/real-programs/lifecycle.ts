import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gone, nothingLeft, type RealService } from './helpers.ts';
import { describeProc, family, type Proc } from './proc.ts';

export interface LifecycleOptions {
  /** Which process the crash kills; default: the top-most process serving the port (RealService.target). */
  victim?: (service: RealService) => Proc;
  /** What the victim is, for the test's title. */
  victimIs?: string;
}

/**
 * What an operator's service goes through under Pacemaker, with the built agent: start, monitor,
 * a crash (kill -9 of the process really serving), the monitor that must notice it, the stop that
 * must leave nothing, and a second start and stop. Every start must be served by a process the
 * agent launched, never by one left over from before.
 */
export function lifecycle(title: string, make: () => Promise<RealService>, options: LifecycleOptions = {}): void {
  describe(title, () => {
    let service: RealService;
    const servedByOurs = () => {
      // throws, naming what it found, when the port is served by anything outside the agent's family
      const root = service.target() && service.recorded()!;
      const ours = new Set(family(root.pid).map((p) => p.pid));
      const strangers = service.serving().filter((p) => !ours.has(p.pid));
      expect(strangers.map(describeProc), 'processes serving the port that the agent did not launch').toEqual([]);
    };

    beforeAll(async () => {
      service = await make();
    });
    afterAll(() => {
      service?.clean();
      service?.remove();
    });

    it('start 0, served by what it launched; monitor 0', async () => {
      await service.expect('start', 0);
      servedByOurs();
      await service.expect('monitor', 0);
    });

    it(`kill -9 of ${options.victimIs ?? 'the process serving the port'}: monitor 7, or 1 with a reason`, async () => {
      const victim = (options.victim ?? ((s: RealService) => s.target()))(service);
      service.note();
      process.kill(victim.pid, 'SIGKILL');
      await gone(victim);
      await service.expect('monitor', 7, 1);
    });

    it('stop 0, and nothing of it is left running', async () => {
      await service.expect('stop', 0);
      nothingLeft(service);
      await service.expect('monitor', 7);
    });

    it('starts again (0, served by what it launched), stops again (0), leaves nothing', async () => {
      await service.expect('start', 0);
      servedByOurs();
      // soft: when monitor gets it wrong, what stop then does still counts
      await service.soft('monitor', 0);
      await service.expect('stop', 0);
      nothingLeft(service);
    });
  });
}
