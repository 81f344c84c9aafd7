import { conformance } from '@ocfkit/testkit';
import { join } from 'node:path';
import agent from '../src/agent.ts';
import { AGENT, HELLO, freePort, processesMentioning, requireBuilt, scratch } from './helpers/instance.ts';

// The whole OCF check list (and resource-agents' ocf-tester) over a real service on loopback.
let port = 0;
let unused = 0;
const { dir, cleanup } = scratch();

const params = () => ({
  service_path: HELLO,
  service_args: `--port ${port} --tag ${dir}`,
  probe_url: `http://127.0.0.1:${port}/health`,
  pidfile: join(dir, 'hello.pid'),
  log_file: join(dir, 'hello.log'),
});

conformance({
  agent,
  executable: AGENT,
  params,
  setup: async () => {
    requireBuilt();
    port = await freePort();
    unused = await freePort();
  },
  teardown: async () => cleanup(),
  // the service listens, but the health URL points where nothing ever answers
  neverStarts: { params: () => ({ ...params(), probe_url: `http://127.0.0.1:${unused}/health` }), reason: /^start gave up after .*, its log says: listening on \d+ \(pid \d+\); health check http:\/\/127\.0\.0\.1:\d+\/health: connection refused$/ },
  leftovers: async () => processesMentioning(dir).map((pid) => `pid ${pid} still runs`),
});
