import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localNodeName } from './node-name.ts';
import { clearPrivateAttribute, parseAttrdQuery, queryPrivateAttribute, setPrivateAttribute } from './private-attribute.ts';
import { deletePromotionScore, setPromotionScore } from './promotion-score.ts';

// Pacemaker's tools replaced by recording fakes on PATH: what matters is the exact argv, and that
// nothing of the agent's environment (a password parameter) reaches them.
const bin = mkdtempSync(join(tmpdir(), 'ocfkit-cluster-tools-'));
const record = join(bin, 'calls');
for (const tool of ['crm_attribute', 'attrd_updater', 'crm_node']) {
  writeFileSync(
    join(bin, tool),
    `#!/bin/sh\necho "${tool} $* | secret=\${OCF_RESKEY_password:-none} instance=$OCF_RESOURCE_INSTANCE" >> ${record}\n` +
      (tool === 'attrd_updater' ? `[ "$1" = "-Q" ] && echo 'name="pos" host="node2" value="42"' && echo 'name="pos" host="node3" value=""'\n` : '') +
      (tool === 'crm_node' ? 'echo node7\n' : '') +
      (tool === 'crm_attribute' ? '[ "$3" = "fail" ] && { echo "Error performing operation: No such device" >&2; exit 105; }\nexit 0\n' : 'exit 0\n'),
  );
  chmodSync(join(bin, tool), 0o755);
}
const ctx = { signal: new AbortController().signal, instance: 'redis', env: { PATH: `${bin}:/usr/bin:/bin`, OCF_RESKEY_password: 'hunter2' }, meta: {} };
const calls = () => readFileSync(record, 'utf8').trim().split('\n');
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('cluster tools', () => {
  it('set and delete the promotion score of a node with crm_attribute --promotion', async () => {
    await setPromotionScore(ctx, 'node2', 1001);
    await deletePromotionScore(ctx, 'node2');
    expect(calls().slice(-2)).toEqual([
      'crm_attribute --promotion=redis -N node2 -v 1001 | secret=none instance=redis',
      'crm_attribute --promotion=redis -N node2 -D | secret=none instance=redis',
    ]);
  });
  it('names the tool and its words when it fails', async () => {
    await expect(setPromotionScore(ctx, 'fail', 1)).rejects.toMatchObject({ code: 1, reason: 'cannot set the promotion score of fail: crm_attribute: Error performing operation: No such device' });
  });
  it('keeps private attributes with attrd_updater -p and reads every node\'s value', async () => {
    await setPrivateAttribute(ctx, 'node1', 'pos', '17');
    await clearPrivateAttribute(ctx, 'node1', 'pos');
    expect(calls().slice(-2)).toEqual(['attrd_updater -p -N node1 -n pos -U 17 | secret=none instance=redis', 'attrd_updater -p -N node1 -n pos -D | secret=none instance=redis']);
    expect(await queryPrivateAttribute(ctx, 'pos')).toEqual(new Map([['node2', '42']]));
    expect(parseAttrdQuery('')).toEqual(new Map());
  });
  it('takes the node name from CRM_meta_on_node, else from crm_node -n', async () => {
    expect(await localNodeName({ ...ctx, meta: { onNode: 'node1' } })).toBe('node1');
    expect(await localNodeName(ctx)).toBe('node7');
  });
});
