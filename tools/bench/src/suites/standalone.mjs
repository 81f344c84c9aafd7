// ocfkit-standalone on a stock Debian 12, side by side in one run, inside a debootstrapped
// bookworm root (tools/package/src/debian-root.mjs, cached in /var/cache/ocfkit-ci): the SEA
// binary's meta-data and monitors against the official `node -e 0` (the same pinned Node.js, in
// the same root), Debian's own `node -e 0` (no startup snapshot), and ocf:heartbeat:redis from
// Debian's resource-agents on the same redis-server. hyperfine runs inside the root, so no
// chroot start is in any figure. `npm run package -- standalone --deb` first.
//   npm run bench -- standalone [--runs N]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unpackRoot } from '../../../package/src/debian-root.mjs';
import { NODE_CACHE } from '../../../package/src/sea/build-sea.mjs';
import { officialNode } from '../../../package/src/sea/node-release.mjs';
import { clean, measure } from '../measure.mjs';
import { bareHttpProbe, freePort, settled, waitForHttp } from './util.mjs';

export const title = 'ocfkit-standalone on Debian 12 (inside a bookworm root): CPU per call';

const OCF = '/usr/lib/ocf/resource.d';

function inRoot(root, argv, env = {}) {
  const r = spawnSync('chroot', [root.root, ...clean(argv, env)], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectCode(root, argv, env, code) {
  const r = inRoot(root, argv, env);
  if (r.code !== code) throw new Error(`${argv.join(' ')}: exit ${r.code} (expected ${code}): ${r.stderr}`);
}

export async function setup(repo) {
  const packages = join(repo, 'dist/packages');
  const deb = existsSync(packages) && readdirSync(packages).find((f) => /^ocfkit-standalone_.*\.deb$/.test(f));
  if (!deb) throw new Error('dist/packages/ocfkit-standalone_*.deb missing: npm run package -- standalone --deb');
  const root = unpackRoot('bench', (line) => console.error(line));
  const started = [];
  const teardown = async () => {
    for (const stop of started.reverse()) stop();
    root.cleanup();
  };
  try {
    copyFileSync(join(packages, deb), join(root.root, 'tmp', deb));
    root.run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', `/tmp/${deb}`, 'nodejs'], { timeout: 300_000 });
    // the official node the binary is made of, for the reference `node -e 0`
    mkdirSync(join(root.root, 'opt/node'), { recursive: true });
    copyFileSync(officialNode(NODE_CACHE).binary, join(root.root, 'opt/node/node'));
    spawnSync('chmod', ['755', join(root.root, 'opt/node/node')]);
    return { ...(await prepare(repo, root, started)), measure: (commands, options) => measure(commands.map((c) => ({ ...c, argv: clean(c.argv, c.env) })), { ...options, root: root.root }), teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function prepare(repo, root, started) {
  // redis: Debian's redis.conf moved to a scratch port and directory, started by our agent
  const port = await freePort();
  mkdirSync(join(root.root, 'srv/redis/data'), { recursive: true });
  spawnSync('chroot', [root.root, 'chown', '-R', 'redis:redis', '/srv/redis']);
  const conf = readFileSync(join(root.root, 'etc/redis/redis.conf'), 'utf8')
    .replace(/^port 6379$/m, `port ${port}`)
    .replace(/^dir .*$/m, 'dir /srv/redis/data')
    .replace(/^logfile .*$/m, 'logfile /srv/redis/redis.log');
  writeFileSync(join(root.root, 'srv/redis/redis.conf'), `${conf}\nrequirepass bench-password\n`);
  const configWritten = Date.now();
  const redis = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'bench-redis', OCF_RESKEY_config: '/srv/redis/redis.conf', OCF_RESKEY_rundir: '/run/bench-redis', OCF_RESKEY_CRM_meta_timeout: '20000' };
  expectCode(root, [`${OCF}/ocfkit/redis`, 'start'], redis, 0);
  started.push(() => inRoot(root, [`${OCF}/ocfkit/redis`, 'stop'], redis));

  // http-service: the repository's example service, run by Debian's node in the root
  const httpPort = await freePort();
  copyFileSync(join(repo, 'agents/http-service/examples/hello-server.mjs'), join(root.root, 'usr/local/bin/hello-server.mjs'));
  spawnSync('chmod', ['755', join(root.root, 'usr/local/bin/hello-server.mjs')]);
  const http = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'bench-http', OCF_RESKEY_service_path: '/usr/local/bin/hello-server.mjs', OCF_RESKEY_service_args: `--port ${httpPort}`, OCF_RESKEY_probe_url: `http://127.0.0.1:${httpPort}/health`, OCF_RESKEY_pidfile: '/run/bench-http.pid', OCF_RESKEY_CRM_meta_timeout: '20000' };
  expectCode(root, [`${OCF}/ocfkit/http-service`, 'start'], http, 0);
  started.push(() => inRoot(root, [`${OCF}/ocfkit/http-service`, 'stop'], http));
  await waitForHttp(`http://127.0.0.1:${httpPort}/health`);

  // tfs-nameserver: the stand-in NameServer the agent's tests use, daemonized as the real one is
  const nsPort = await freePort();
  for (const dir of ['srv/tfs/bin', 'srv/tfs/conf']) mkdirSync(join(root.root, dir), { recursive: true });
  copyFileSync(join(repo, 'agents/tfs-nameserver/tests/fixtures/fake-nameserver/nameserver.cjs'), join(root.root, 'srv/tfs/bin/nameserver'));
  spawnSync('chmod', ['755', join(root.root, 'srv/tfs/bin/nameserver')]);
  writeFileSync(
    join(root.root, 'srv/tfs/conf/ns.conf'),
    `[public]\nport = ${nsPort}\nwork_dir = /srv/tfs\ndev_name = lo\nip_addr = 127.0.0.1\n[nameserver]\nip_addr_list = 127.0.0.1|127.0.0.2\n[stand-in]\nallow_loopback = 1\ninit_ms = 0\nterm_ms = 0\n`,
  );
  expectCode(root, ['/srv/tfs/bin/nameserver', '-f', '/srv/tfs/conf/ns.conf', '-d'], {}, 0);
  started.push(() => {
    // the stand-in's pid, from the pidfile it wrote: only the process this bench started is killed
    try {
      process.kill(Number(readFileSync(join(root.root, 'srv/tfs/logs/nameserver.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
  });
  await waitForHttp(`http://127.0.0.1:${nsPort}/`);
  const tfs = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'bench-tfs', OCF_RESKEY_basedir: '/srv/tfs', OCF_RESKEY_user: 'root', OCF_RESKEY_nsport: String(nsPort), OCF_RESKEY_CRM_meta_timeout: '20000' };

  // what no monitor can go below: the official node with a script that only asks the service
  const floor = `/${relative(root.root, bareHttpProbe(join(root.root, 'srv'), httpPort))}`;

  const recurring = { OCF_RESKEY_CRM_meta_interval: '10000' };
  const meta = { OCF_ROOT: '/usr/lib/ocf', OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' };
  const commands = [
    { name: 'node -e 0', argv: ['/opt/node/node', '-e', '0'] },
    { name: "Debian's node -e 0", argv: ['/usr/bin/node', '-e', '0'] },
    // the binary's own floor: its main script alone, which exits 2 when called by its own name
    { name: 'ocfkit-standalone (no agent: exit 2)', argv: ['/usr/lib/ocfkit/ocfkit-standalone'], code: 2 },
    { name: 'bare net.connect probe, node (the floor)', argv: ['/opt/node/node', floor] },
    { name: 'http-service meta-data', argv: [`${OCF}/ocfkit/http-service`, 'meta-data'], env: meta },
    { name: 'redis meta-data', argv: [`${OCF}/ocfkit/redis`, 'meta-data'], env: meta },
    { name: 'tfs-nameserver meta-data', argv: [`${OCF}/ocfkit/tfs-nameserver`, 'meta-data'], env: meta },
    { name: 'http-service monitor', argv: [`${OCF}/ocfkit/http-service`, 'monitor'], env: { ...http, ...recurring } },
    { name: 'redis monitor', argv: [`${OCF}/ocfkit/redis`, 'monitor'], env: { ...redis, ...recurring } },
    { name: 'tfs-nameserver monitor', argv: [`${OCF}/ocfkit/tfs-nameserver`, 'monitor'], env: { ...tfs, ...recurring } },
    { name: 'heartbeat/redis monitor', argv: [`${OCF}/heartbeat/redis`, 'monitor'], env: { ...redis, ...recurring } },
  ];
  // the stand-in NameServer may still be initialising: wait (bounded) for the monitor's 0
  const tfsMonitor = commands.find((c) => c.name === 'tfs-nameserver monitor');
  for (const until = Date.now() + 10_000; inRoot(root, tfsMonitor.argv, tfsMonitor.env).code !== 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
  await settled(configWritten);
  for (const c of commands) expectCode(root, c.argv, c.env, c.code ?? 0);
  return {
    commands,
    budgets: [
      ...['http-service', 'redis', 'tfs-nameserver'].map((a) => ({ name: `${a} meta-data`, against: 'node -e 0', maxRatio: 1.0 })),
      ...['http-service', 'redis', 'tfs-nameserver'].map((a) => ({ name: `${a} monitor`, against: 'node -e 0', maxRatio: 1.2 })),
      { name: 'redis monitor', against: 'heartbeat/redis monitor', maxRatio: 0.5 },
    ],
  };
}

