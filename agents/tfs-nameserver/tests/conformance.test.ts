import { conformance } from '@ocfkit/testkit';
import agent from '../src/agent.ts';
import { AGENT, paramsFor, requireBuilt } from './helpers/agent.ts';
import { freePort, makeNsInstance, processesMentioning, type NsInstance } from './helpers/fake-ns.ts';

// The whole OCF check list, and resource-agents' ocf-tester, over the stand-in NameServer run
// as `nobody` (the start goes through the user switch, as with the real `admin`).
const NOBODY = { uid: 65534, gid: 65534 };
let ns: NsInstance | undefined;
let frozen: NsInstance | undefined;

conformance({
  agent,
  executable: AGENT,
  params: () => paramsFor(ns!, { user: 'nobody' }),
  setup: async () => {
    requireBuilt();
    ns = makeNsInstance({ port: await freePort(), owner: NOBODY });
    // a NameServer that starts, listens and never answers: start must give up on its own
    frozen = makeNsInstance({ port: await freePort(), owner: NOBODY, knobs: { frozen: 1 } });
  },
  teardown: async () => {
    ns?.cleanup();
    frozen?.cleanup();
  },
  neverStarts: { params: () => paramsFor(frozen!, { user: 'nobody' }), reason: /timed out waiting for the NameServer to answer the heartbeat as initialised/ },
  leftovers: async () => [ns!, frozen!].flatMap((i) => processesMentioning(i.basedir).map((pid) => `pid ${pid} still runs (${i.basedir})`)),
});
