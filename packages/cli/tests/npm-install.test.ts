import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unavailable } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLauncher } from '../src/launcher.ts';
import { RESOURCE_D } from '../src/ocf-paths.ts';
import { findInPath, PACEMAKER_PATH } from '../src/pacemaker-path.ts';
import { pack, ROOT, sh, userEnv, type Packed } from './helpers/npm.ts';

// The npm path end to end, as an operator takes it: every package packed as a release would pack
// it, the tarballs installed globally (into a throw-away prefix, offline: agents have no runtime
// dependencies), `ocfkit link`, then Pacemaker's own crm_resource reads and runs every agent from
// the real /usr/lib/ocf. It needs root (resource.d) and Pacemaker's tools.
// each agent with its extra commands and their man pages
const AGENTS: Record<string, { bins: string[]; pages: string[] }> = {
  'http-service': { bins: [], pages: [] },
  redis: { bins: [], pages: [] },
  'tfs-nameserver': { bins: ['tfs-ha-monitor'], pages: ['tfs-ha-monitor.1'] },
};
const crmResource = findInPath('crm_resource');
const missing = !crmResource ? "Pacemaker's crm_resource (apt-get install pacemaker)" : process.getuid?.() !== 0 ? 'root (ocfkit link writes to /usr/lib/ocf/resource.d)' : undefined;

const CONSUMER_AGENT = `import { defineAgent, param, OCF, type Context } from '@ocfkit/runtime';
import { runAgent } from '@ocfkit/runtime/run';
const params = { port: param.port({ default: 7000, shortdesc: 'Port' }) };
async function monitor(ctx: Context<typeof params>) {
  return ctx.params.port > 0 ? OCF.NOT_RUNNING : OCF.SUCCESS;
}
const noop = async () => {};
runAgent(defineAgent({ name: 'hello', version: '1.0.0', shortdesc: 'Hello', longdesc: 'Says hello.', params,
  actions: { start: { run: noop, timeout: '20s' }, stop: { run: noop, timeout: '20s' }, monitor: { run: monitor, timeout: '20s', interval: '10s' } } }));
`;

// Unique per run: Pacemaker knows them only while the test runs
const P = `ocfkit-test-${process.pid}`;
const P_LAUNCHER = `${P}-launcher`;
const P_TAKEN = `${P}-taken`;

let work = '';
let prefix = '';
let packed: Packed[] = [];
let before: string[] = [];
const ocfkit = (...args: string[]) => sh(join(prefix, 'bin/ocfkit'), args, { env: userEnv({ PATH: PACEMAKER_PATH }) });
// crm_resource runs the agent with its caller's environment: give it pacemaker-execd's PATH
const crm = (...args: string[]) => sh(crmResource!, args, { env: { PATH: PACEMAKER_PATH, LC_ALL: 'C' } });
const tarball = (name: string) => packed.find((p) => p.name === name)!.filename;

describe.skipIf(unavailable({ ok: missing === undefined, why: missing }, "Pacemaker's tools and root"))('npm install, ocfkit link, Pacemaker', () => {
  beforeAll(() => {
    before = readdirSync(RESOURCE_D).sort();
    work = mkdtempSync(join(tmpdir(), 'ocfkit-npm-'));
    prefix = join(work, 'prefix');
    const packs = join(work, 'packs');
    mkdirSync(packs);
    packed = pack(['packages/runtime', 'packages/testkit', 'packages/cli', ...Object.keys(AGENTS).map((a) => `agents/${a}`)], packs);
    const install = sh('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball('ocfkit'), ...Object.keys(AGENTS).map((a) => tarball(`@ocfkit/${a}`))]);
    expect(install.status, install.stderr).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (!prefix) return;
    for (const provider of [P, P_LAUNCHER, P_TAKEN]) {
      if (existsSync(join(prefix, 'bin/ocfkit'))) ocfkit('unlink', '--provider', provider);
    }
    rmSync(join(RESOURCE_D, P_TAKEN), { recursive: true, force: true }); // holds the test's own file
    rmSync(work, { recursive: true, force: true });
  });

  describe.for(Object.entries(AGENTS))('the %s package', ([agent, { bins: extraBins, pages }]) => {
    it('holds the bundled executable, its man page and README, and depends on nothing', () => {
      const p = packed.find((x) => x.name === `@ocfkit/${agent}`)!;
      expect(p.files).toEqual(['README.md', `dist/${agent}`, ...extraBins.map((b) => `dist/${b}`), `dist/ocf_ocfkit_${agent}.7`, ...pages.map((m) => `dist/${m}`), 'dist/package.json', 'package.json'].sort());
      const manifest = JSON.parse(sh('tar', ['-xzOf', p.filename, 'package/package.json']).stdout);
      expect(manifest.dependencies).toBeUndefined();
      expect(manifest.bin).toEqual(Object.fromEntries([agent, ...extraBins].map((b) => [b, `dist/${b}`])));
    });

    it('keeps every bin through npm publish', () => {
      // offline, to a registry nobody listens on: --dry-run uploads nothing and must need none
      const run = sh('npm', ['publish', '--dry-run', '--offline', '--registry', 'http://127.0.0.1:9/', tarball(`@ocfkit/${agent}`)]);
      expect(run.status).toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/npm warn.*(\bbin\b|auto-corrected|invalid)/i);
    });

    it('installs its commands on PATH and its man page', () => {
      for (const bin of [agent, ...extraBins]) expect(lstatSync(join(prefix, 'bin', bin)).isSymbolicLink()).toBe(true);
      expect(existsSync(join(prefix, 'share/man/man7', `ocf_ocfkit_${agent}.7`))).toBe(true);
      for (const page of pages) expect(existsSync(join(prefix, `share/man/man${page.slice(-1)}`, page))).toBe(true);
      const meta = sh(join(prefix, 'bin', agent), ['meta-data'], { env: { PATH: PACEMAKER_PATH } });
      expect(meta.status).toBe(0);
      expect(meta.stdout).toContain(`<resource-agent name="${agent}"`);
    });
  });

  it('packs the ocfkit command with its man page, and installs both', () => {
    expect(packed.find((p) => p.name === 'ocfkit')!.files).toEqual(['README.md', 'dist/ocfkit', 'dist/ocfkit.8', 'dist/package.json', 'package.json']);
    expect(lstatSync(join(prefix, 'bin/ocfkit')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(prefix, 'share/man/man8/ocfkit.8'), 'utf8')).toMatch(/^\.TH OCFKIT 8 "\d{4}-\d\d-\d\d" "ocfkit 0\.1\.0"/m);
  });

  it('publishes the runtime and the test kit as JavaScript with type declarations', () => {
    const runtime = packed.find((p) => p.name === '@ocfkit/runtime')!.files;
    const testkit = packed.find((p) => p.name === '@ocfkit/testkit')!.files;
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/run.js', 'dist/run.d.ts']) expect(runtime).toContain(file);
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'fixtures/loaded-builtins.cjs']) expect(testkit).toContain(file);
    for (const file of [...runtime, ...testkit]) {
      expect(file).not.toMatch(/\.test\.|^src\/|^tests\//);
      expect(file).not.toMatch(/(?<!\.d)\.ts$/);
    }
  });

  it('lets others build an agent on the published runtime: its types, a bundle, a run', () => {
    const project = join(work, 'consumer');
    const runtime = join(project, 'node_modules/@ocfkit/runtime');
    mkdirSync(runtime, { recursive: true });
    sh('tar', ['-xzf', tarball('@ocfkit/runtime'), '-C', runtime, '--strip-components=1']);
    // the runtime's one dependency and Node's types, from the workspace: the test runs offline
    symlinkSync(join(ROOT, 'node_modules/pino'), join(project, 'node_modules/pino'));
    symlinkSync(join(ROOT, 'node_modules/@types'), join(project, 'node_modules/@types'));
    writeFileSync(join(project, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(join(project, 'agent.ts'), CONSUMER_AGENT);
    writeFileSync(join(project, 'wrong.ts'), `import { param, type Context } from '@ocfkit/runtime';\nconst params = { port: param.port({ default: 1, shortdesc: 'p' }) };\nexport const f = (ctx: Context<typeof params>): string => ctx.params.port;\n`);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, types: ['node'] }, files: ['agent.ts', 'wrong.ts'] }));
    // the agent type-checks against the published declarations, and they carry real types: the
    // one mistake, in wrong.ts, is caught
    const tsc = sh(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: project });
    expect(tsc.stdout).toBe("wrong.ts(3,59): error TS2322: Type 'number' is not assignable to type 'string'.\n");
    const bundle = sh(join(ROOT, 'node_modules/.bin/esbuild'), ['agent.ts', '--bundle', '--platform=node', '--format=cjs', '--outfile=agent.cjs', '--log-level=warning'], { cwd: project });
    expect(bundle.stderr).toBe('');
    const meta = sh(process.execPath, [join(project, 'agent.cjs'), 'meta-data'], { env: { PATH: PACEMAKER_PATH } });
    expect(meta.status).toBe(0);
    expect(meta.stdout).toContain('<resource-agent name="hello"');
    // a bad parameter on a probe: "stopped", and the line logged
    const probe = sh(process.execPath, [join(project, 'agent.cjs'), 'monitor'], { env: { PATH: PACEMAKER_PATH, OCF_RESKEY_port: 'x', OCF_RESOURCE_INSTANCE: 'h' } });
    expect(probe.status).toBe(7);
    expect(probe.stderr).toMatch(/^hello\(h\)\[\d+\]:\t.* INFO: parameter port: expected an integer from 1 to 65535, got 'x'/m);
  }, 120_000);

  it('links every agent so that Pacemaker reads its meta-data', () => {
    const link = ocfkit('link', '--provider', P);
    expect(link.stderr).toBe('');
    expect(link.status).toBe(0);
    for (const agent of Object.keys(AGENTS)) {
      expect(link.stdout).toContain(`ocf:${P}:${agent} -> `);
      expect(lstatSync(join(RESOURCE_D, P, agent)).isSymbolicLink()).toBe(true);
      const shown = crm('--show-metadata', `ocf:${P}:${agent}`);
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`<resource-agent name="${agent}"`);
    }
    expect(readdirSync(join(RESOURCE_D, P)).sort()).toEqual(Object.keys(AGENTS).sort());
  });

  // crm_resource --validate runs the agent's validate-all directly, no cluster needed; its exit
  // status is the agent's.
  it.for([
    ['http-service', ['service_path=/bin/sleep', 'probe_url=http://127.0.0.1:9/health'], 0, undefined],
    ['http-service', ['service_path=sleep', 'probe_url=http://127.0.0.1:9/health'], 6, 'parameter service_path:'],
    ['redis', [], 0, undefined],
    ['redis', ['port=abc'], 6, 'parameter port:'],
    ['tfs-nameserver', ['basedir=/nonexistent/tfs'], 5, 'basedir: /nonexistent/tfs/bin/nameserver not found'],
    ['tfs-nameserver', ['basedir=tfs'], 6, 'parameter basedir:'],
  ] as const)('crm_resource --validate %s %j: %i', ([agent, options, code, reason]) => {
    const run = crm('--validate', '--class', 'ocf', '--agent', agent, '--provider', P, ...options.flatMap((o) => ['--option', o]));
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(code);
    expect(run.stdout).toContain(`Operation validate (ocf:${P}:${agent}) returned ${code}`);
    if (reason) expect(`${run.stdout}${run.stderr}`).toContain(`ocf-exit-reason:${reason}`);
  });

  it('lists the agents with where they are linked', () => {
    const list = ocfkit('list');
    expect(list.status).toBe(0);
    for (const agent of Object.keys(AGENTS)) expect(list.stdout).toMatch(new RegExp(`^${agent} +@ocfkit/${agent}@0\\.1\\.0 +.*ocf:${P}:${agent} \\(symlink\\)`, 'm'));
  });

  it('doctor checks the node, the OCF root, Pacemaker and every linked agent, and exits 0', () => {
    const doctor = ocfkit('doctor');
    expect(doctor.status, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(new RegExp(`^ok +node +${process.version} at `, 'm'));
    expect(doctor.stdout).toMatch(/^(ok|warn) +node startup /m);
    expect(doctor.stdout).toMatch(/^ok +OCF root +\/usr\/lib\/ocf\/resource\.d$/m);
    expect(doctor.stdout).toMatch(/^ok +pacemaker +crm_resource/m);
    for (const agent of Object.keys(AGENTS)) expect(doctor.stdout).toMatch(new RegExp(`^ok +ocf:${P}:${agent} +meta-data valid`, 'm'));
    expect(doctor.stdout).toMatch(/^(ok|note|warn) +code cache +\/var\/cache\/ocfkit/m);
    expect(doctor.stdout).not.toMatch(/^FAIL/m);
  });

  it("writes a launcher for a node that Pacemaker's PATH does not find", () => {
    // an unpacked nodejs.org tarball in /opt is the usual case: the same binary, elsewhere (a hard
    // link is another path to it, which is all that matters here; a copy across file systems)
    const node = join(work, 'node-elsewhere/bin/node');
    mkdirSync(join(node, '..'), { recursive: true });
    try {
      linkSync(process.execPath, node);
    } catch {
      copyFileSync(process.execPath, node);
      chmodSync(node, 0o755);
    }
    const link = ocfkit('link', '--provider', P_LAUNCHER, '--node', node, 'redis');
    expect(link.status, link.stderr).toBe(0);
    expect(link.stdout).toContain(`launcher running ${node}`);
    const entry = join(RESOURCE_D, P_LAUNCHER, 'redis');
    expect(parseLauncher(readFileSync(entry, 'utf8'))).toEqual({ node, agent: join(prefix, 'lib/node_modules/@ocfkit/redis/dist/redis') });
    const shown = crm('--show-metadata', `ocf:${P_LAUNCHER}:redis`);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('<resource-agent name="redis"');
    const doctor = ocfkit('doctor');
    expect(doctor.status, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(new RegExp(`^ok +node +${process.version} at ${node}, runs ocf:${P_LAUNCHER}:redis$`, 'm'));
    expect(ocfkit('unlink', '--provider', P_LAUNCHER).status).toBe(0);
    expect(existsSync(join(RESOURCE_D, P_LAUNCHER))).toBe(false);
  });

  it('leaves alone a file it did not write, and says so', () => {
    mkdirSync(join(RESOURCE_D, P_TAKEN));
    const theirs = join(RESOURCE_D, P_TAKEN, 'redis');
    writeFileSync(theirs, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const link = ocfkit('link', '--provider', P_TAKEN, 'redis');
    expect(link.status).toBe(1);
    expect(link.stderr).toContain(`${theirs} exists and was not written by ocfkit`);
    expect(readFileSync(theirs, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    const unlink = ocfkit('unlink', '--provider', P_TAKEN, 'redis');
    expect(unlink.status).toBe(1);
    expect(unlink.stderr).toContain(`${theirs} was not written by ocfkit: left alone`);
    expect(ocfkit('unlink', '--provider', P_TAKEN).status).toBe(0);
    expect(readFileSync(theirs, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    rmSync(join(RESOURCE_D, P_TAKEN), { recursive: true });
  });

  it('answers --help for every command, and refuses unknown commands, options and agents', () => {
    const overview = ocfkit('--help');
    expect(overview.status).toBe(0);
    const commands = [...overview.stdout.matchAll(/^ {2}(\S+) +\S/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['link', 'unlink', 'list', 'doctor']));
    for (const command of commands) {
      const help = ocfkit(command, '--help');
      expect(help.status, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: ocfkit ${command}\\b`, "i"));
    }
    expect(ocfkit('frobnicate').status).toBe(2);
    expect(ocfkit('link', '--bogus').status).toBe(2);
    const unknown = ocfkit('link', '--provider', P, 'no-such-agent');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no installed package provides agent "no-such-agent" (installed: http-service, redis, tfs-nameserver)');
    expect(ocfkit('link', '--provider', '../etc').status).toBe(2);
  });

  it('shows a link whose package was uninstalled as stale, and removes it', () => {
    const uninstall = sh('npm', ['uninstall', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '@ocfkit/tfs-nameserver']);
    expect(uninstall.status, uninstall.stderr).toBe(0);
    expect(ocfkit('list').stdout).toContain(`stale: ocf:${P}:tfs-nameserver -> ${join(prefix, 'lib/node_modules/@ocfkit/tfs-nameserver/dist/tfs-nameserver')} (package gone)`);
    const doctor = ocfkit('doctor');
    expect(doctor.status).toBe(0);
    expect(doctor.stdout).toMatch(new RegExp(`^warn +ocf:${P}:tfs-nameserver .*whose package is gone: ocfkit unlink --provider ${P} tfs-nameserver$`, 'm'));
    const unlink = ocfkit('unlink', '--provider', P, 'tfs-nameserver');
    expect(unlink.status).toBe(0);
    expect(existsSync(join(RESOURCE_D, P, 'tfs-nameserver'))).toBe(false);
  });

  it('unlink leaves nothing behind in resource.d', () => {
    const unlink = ocfkit('unlink', '--provider', P);
    expect(unlink.status, unlink.stderr).toBe(0);
    expect(unlink.stdout).toContain(`removed ocf:${P}:redis`);
    expect(readdirSync(RESOURCE_D).sort()).toEqual(before);
    expect(crm('--show-metadata', `ocf:${P}:redis`).status).not.toBe(0);
  });
});
