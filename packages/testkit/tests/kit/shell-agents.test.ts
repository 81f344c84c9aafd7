import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runKit, type KitOptions, type KitReport } from '../../src/kit/index.ts';
import { freePort } from '../../src/processes.ts';

// The kit over resource-agents' own shell agents, as installed by Debian: what it finds there is
// recorded in docs/conformance.md, and this test fails when the record and a real run disagree
// (a new resource-agents release, or a change of the kit).
const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const HEARTBEAT = '/usr/lib/ocf/resource.d/heartbeat';
const scratch = mkdtempSync(join(tmpdir(), 'ocfkit-shell-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `| Dummy | none |` rows of the findings table in docs/conformance.md, by agent. */
function recorded(): Map<string, string[]> {
  const doc = readFileSync(join(root, 'docs/conformance.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- findings -->'), doc.indexOf('<!-- end of findings -->'));
  const rows = new Map<string, string[]>();
  for (const m of table.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)) {
    rows.set(m[1]!, m[2]!.trim() === 'none' ? [] : m[2]!.split(',').map((s) => s.trim().replace(/`/g, '')));
  }
  return rows;
}

const failed = (report: KitReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
const explain = (report: KitReport) => report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed}`).join('\n');

const AGENTS: [string, () => Promise<Omit<KitOptions, 'executable'>>][] = [
  ['Dummy', async () => ({ params: () => ({ state: join(scratch, 'Dummy.state') }) })],
  [
    'anything',
    async () => ({
      params: () => ({ binfile: '/bin/sleep', cmdline_options: '3600', pidfile: join(scratch, 'anything.pid'), logfile: join(scratch, 'anything.log') }),
      // a program that exits at once; Pacemaker's default budget, as anything's `su -` calls take seconds
      neverStarts: { params: () => ({ binfile: '/bin/false', pidfile: join(scratch, 'never.pid'), logfile: join(scratch, 'never.log') }), budgetMs: 20_000 },
    }),
  ],
  [
    'redis',
    async () => {
      const port = await freePort();
      const base = join(scratch, 'redis');
      const config = (name: string, extra = '') => {
        const file = join(scratch, name);
        writeFileSync(file, `port ${port}\nbind 127.0.0.1\ndir ${scratch}\n${extra}`, { mode: 0o644 });
        return file;
      };
      const good = config('redis.conf');
      const broken = config('broken.conf', 'maxmemory-policy sometimes\n');
      return {
        params: () => ({ config: good, rundir: base, port: String(port), user: 'root' }),
        neverStarts: { params: () => ({ config: broken, rundir: `${base}-never`, port: String(port), user: 'root' }) },
      };
    },
  ],
];

// one at a time, they take minutes (heartbeat/redis's ocf-tester run alone takes about one)
describe.concurrent("resource-agents' shell agents", () => {
  it.for(AGENTS)('ocf:heartbeat:%s fails exactly the checks docs/conformance.md records', { timeout: 300_000 }, async ([name, options]) => {
    const report = await runKit({ executable: join(HEARTBEAT, name), instance: `kit-${name.toLowerCase()}`, ...(await options()) });
    writeFileSync(join(scratch, `${name}.json`), JSON.stringify(report, null, 2));
    expect(recorded().has(name), `docs/conformance.md has no row for ${name}`).toBe(true);
    expect(failed(report), explain(report)).toEqual(recorded().get(name));
  });
});
