import { expect } from 'vitest';
import type { Lab } from '../../../../tools/cluster-lab/src/lab.ts';
import { FAKE_NAMESERVER } from './fake-ns.ts';

/**
 * The stand-in NameServer on every node of `lab`, under /run/tfs (private to each node: each has
 * its own TFS basedir), with `conf` as its ns.conf, owned by nobody, the NameServer's user here.
 */
export async function installStandIn(lab: Lab, conf: string): Promise<void> {
  for (const node of lab.nodeNames) {
    const setup = await lab.exec(node, 'sh', [
      '-c',
      `mkdir -p /run/tfs/bin /run/tfs/conf && cp ${FAKE_NAMESERVER} /run/tfs/bin/nameserver && chmod 755 /run/tfs/bin/nameserver && cat > /run/tfs/conf/ns.conf && chown -R nobody: /run/tfs`,
    ], { input: conf });
    expect(setup).toEqual({ code: 0, stdout: '', stderr: '' });
  }
}
