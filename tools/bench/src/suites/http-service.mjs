// http-service: meta-data and monitor of a running service, against a bare node start, the
// alternatives the issue weighed (node:http, undici) and the shell world (Dummy, curl).
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clean } from '../measure.mjs';
import { bareHttpProbe, freePort, waitForHttp } from './util.mjs';

export const title = 'http-service: CPU per call (monitor of a running service on loopback)';

export async function setup(root) {
  const agent = join(root, 'dist/resource.d/ocfkit/http-service');
  if (!existsSync(agent)) throw new Error(`${agent} missing: npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-bench-http-'));
  const port = await freePort();
  const hello = join(root, 'agents/http-service/examples/hello-server.mjs');
  const pidfile = join(dir, 'hello.pid');
  const server = spawn(process.execPath, [hello, '--port', String(port)], { stdio: 'ignore', env: {} });
  writeFileSync(pidfile, `${server.pid}\n`);
  const url = `http://127.0.0.1:${port}/health`;
  await waitForHttp(url);

  // the two clients the design card weighed, as one-file bundles like our agents
  writeFileSync(join(dir, 'node-http.mjs'), `import http from 'node:http';
http.get(${JSON.stringify(url)}, (res) => { res.resume(); res.on('end', () => process.exit(res.statusCode < 400 ? 0 : 1)); }).on('error', () => process.exit(1));`);
  writeFileSync(join(dir, 'undici.mjs'), `import { request } from 'undici';
request(${JSON.stringify(url)}).then(async ({ statusCode, body }) => { await body.dump(); process.exit(statusCode < 400 ? 0 : 1); }, () => process.exit(1));`);
  for (const name of ['node-http', 'undici']) {
    await build({ entryPoints: [join(dir, `${name}.mjs`)], outfile: join(dir, `${name}.cjs`), bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true, logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
  }

  const floor = bareHttpProbe(dir, port);

  const ocf = {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'bench',
    OCF_RESKEY_CRM_meta_timeout: '20000',
    OCF_RESKEY_CRM_meta_interval: '10000',
    OCF_RESKEY_service_path: hello,
    OCF_RESKEY_probe_url: url,
    OCF_RESKEY_pidfile: pidfile,
  };
  const commands = [
    { name: 'node -e 0', argv: clean(['node', '-e', '0']) },
    { name: 'http-service meta-data', argv: clean([agent, 'meta-data'], { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' }) },
    { name: 'http-service monitor', argv: clean([agent, 'monitor'], ocf) },
    { name: 'http-service monitor, no code cache', argv: clean([agent, 'monitor'], { ...ocf, OCFKIT_CODE_CACHE: 'off' }) },
    { name: 'bare net.connect probe (the floor)', argv: clean(['node', floor]) },
    { name: 'probe with node:http (bundled)', argv: clean(['node', join(dir, 'node-http.cjs')]) },
    { name: 'probe with undici (bundled)', argv: clean(['node', join(dir, 'undici.cjs')]) },
  ];
  if (existsSync('/usr/bin/curl')) commands.push({ name: 'curl -sf', argv: clean(['curl', '-sf', '-o', '/dev/null', url]) });
  const dummy = '/usr/lib/ocf/resource.d/heartbeat/Dummy';
  if (existsSync(dummy)) commands.push({ name: 'heartbeat/Dummy monitor (shell)', argv: clean([dummy, 'monitor'], { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'bench', OCF_RESKEY_state: join(dir, 'dummy.state') }) });
  return {
    commands,
    budgets: [
      { name: 'http-service monitor', against: 'node -e 0', maxRatio: 1.25, maxRssMb: 45 },
      { name: 'http-service meta-data', against: 'node -e 0', maxRatio: 1.1, maxRssMb: 45 },
    ],
    teardown: async () => {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
