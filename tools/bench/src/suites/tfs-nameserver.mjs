// tfs-nameserver: CPU per monitor with the native heartbeat, side by side with a bare node start
// and with monitoring through an external ha_monitor-compatible tool (montool):
// `npm run bench -- tfs-nameserver`.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CLEAN_PATH, clean } from '../measure.mjs';
import { freePort } from './util.mjs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const title = 'tfs-nameserver: CPU per call (monitor of an initialised stand-in NameServer on loopback)';

async function waitForPort(port, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

export async function setup(root) {
  const agent = join(root, 'dist/resource.d/ocfkit/tfs-nameserver');
  const tool = join(root, 'dist/bin/tfs-ha-monitor');
  for (const file of [agent, tool]) if (!existsSync(file)) throw new Error(`${file} missing: npm run build`);
  const basedir = mkdtempSync(join(tmpdir(), 'ocfkit-bench-tfs-'));
  mkdirSync(join(basedir, 'bin'));
  mkdirSync(join(basedir, 'conf'));
  const binary = join(basedir, 'bin/nameserver');
  copyFileSync(join(root, 'agents/tfs-nameserver/tests/fixtures/fake-nameserver/nameserver.cjs'), binary);
  chmodSync(binary, 0o755);
  const port = await freePort();
  writeFileSync(
    join(basedir, 'conf/ns.conf'),
    `[public]\nport = ${port}\nwork_dir = ${basedir}\ndev_name = lo\nip_addr = 127.0.0.1\n[nameserver]\nip_addr_list = 127.0.0.1|127.0.0.2\n[stand-in]\nallow_loopback = 1\ninit_ms = 0\nterm_ms = 0\n`,
  );
  execFileSync(binary, ['-f', join(basedir, 'conf/ns.conf'), '-d'], { env: { PATH: CLEAN_PATH } });
  await waitForPort(port);
  await new Promise((r) => setTimeout(r, 200)); // past init_ms

  const ocf = {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'bench',
    OCF_RESKEY_CRM_meta_timeout: '20000',
    OCF_RESKEY_CRM_meta_interval: '5000',
    OCF_RESKEY_basedir: basedir,
    OCF_RESKEY_user: 'root',
    OCF_RESKEY_nsport: String(port),
  };
  const commands = [
    { name: 'node -e 0', argv: clean(['node', '-e', '0']) },
    { name: 'tfs-nameserver meta-data', argv: clean([agent, 'meta-data'], { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' }) },
    { name: 'tfs-nameserver monitor (native heartbeat)', argv: clean([agent, 'monitor'], ocf) },
    { name: 'tfs-nameserver monitor (native, no code cache)', argv: clean([agent, 'monitor'], { ...ocf, OCFKIT_CODE_CACHE: 'off' }) },
    { name: 'tfs-nameserver monitor (montool=tfs-ha-monitor)', argv: clean([agent, 'monitor'], { ...ocf, OCF_RESKEY_montool: tool }) },
    { name: 'tfs-ha-monitor -n alone', argv: clean([tool, '-i', '127.0.0.1', '-p', String(port), '-n']) },
  ];
  return {
    commands,
    budgets: [
      { name: 'tfs-nameserver monitor (native heartbeat)', against: 'node -e 0', maxRatio: 1.25, maxRssMb: 45 },
      { name: 'tfs-nameserver meta-data', against: 'node -e 0', maxRatio: 1.1, maxRssMb: 45 },
    ],
    teardown: async () => {
      const pid = Number(readFileSync(join(basedir, 'logs/nameserver.pid'), 'utf8'));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(basedir, { recursive: true, force: true });
    },
  };
}
