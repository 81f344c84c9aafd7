import { runOcfTester, unavailable } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_UNDER_TEST, needs, nothingLeft, type RealService } from './helpers.ts';
import { PYTHON, pythonExec } from './wrappers.ts';

// resource-agents' own checker (start, monitor, stop, the repeats, a monitor of a stopped
// resource) over a service that is not the service_path: a launcher that execs python3.
describe.skipIf(unavailable(needs('/usr/sbin/ocf-tester', PYTHON), 'ocf-tester and python3'))('ocf-tester over a service behind an exec wrapper', () => {
  let service: RealService;
  beforeAll(async () => {
    service = await pythonExec();
  });
  afterAll(() => {
    service?.clean();
    service?.remove();
  });

  it('passes, and leaves nothing running', async () => {
    const result = await runOcfTester(AGENT_UNDER_TEST, { name: 'real-exec-wrapper', params: service.params });
    service.note();
    // its verdicts, without the metadata it prints along the way
    const said = result.output.split('\n').filter((line) => !/^\s*</.test(line)).join('\n');
    expect(result.output, said).toMatch(/passed all tests/);
    expect(result.code).toBe(0);
    nothingLeft(service);
  }, 120_000);
});
