import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asRoot, runExecutable, unavailable } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, HELLO, freePort, requireBuilt, scratch } from './helpers/instance.ts';

// A user that NSS (LDAP, sssd) cannot look up right now is a transient failure of this node (1),
// not a configuration that is wrong everywhere (6, which stops the resource on every node). The
// agent runs in a mount namespace of its own where getent hangs, as it does while LDAP is down.
const { dir, cleanup } = scratch();
let wrapper = '';

beforeAll(() => {
  requireBuilt();
  const getent = join(dir, 'hanging-getent');
  writeFileSync(getent, '#!/bin/sh\nexec sleep 60\n');
  chmodSync(getent, 0o755);
  wrapper = join(dir, 'agent-with-hanging-nss');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec unshare --mount --propagation private /bin/sh -c 'mount --bind "$0" /usr/bin/getent && exec "$@"' "${getent}" "${AGENT}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
});
afterAll(() => cleanup());

describe.skipIf(unavailable(asRoot(), 'root (a mount namespace)'))('a user NSS cannot look up (needs root for the mount namespace)', () => {
  it('validate-all: 1, saying the lookup did not answer', async () => {
    const port = await freePort();
    const result = await runExecutable(wrapper, 'validate-all', {
      params: { service_path: HELLO, probe_url: `http://127.0.0.1:${port}/health`, user: 'ocfkit-ldap-user', pidfile: join(dir, 'x.pid') },
      meta: { timeout: 20_000 },
    });
    expect(result.code).toBe(1);
    expect(result.reason).toBe('cannot look up passwd entry ocfkit-ldap-user: getent did not finish within 10s');
  }, 30_000);
});
