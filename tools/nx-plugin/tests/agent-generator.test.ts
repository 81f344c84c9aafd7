import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO as repo, workspaceCopy } from './helpers/workspace-copy.ts';

// A generated agent must build, pass its conformance suite (ocf-tester included) and be picked up
// by docs and packaging before anyone edits a line of it. Generated into a copy of the workspace
// (node_modules symlinked, not reinstalled), through nx itself, as a user runs it.
const workspace = workspaceCopy('ocfkit-gen-');
const copy = workspace.root;
const NAME = 'echo-service';
const agentDir = join(copy, 'agents', NAME);
const { run, generate } = workspace;
afterAll(() => workspace.remove());

describe('npx nx g @ocfkit/nx-plugin:agent', () => {
  it("refuses a name the runtime's own rule refuses", () => {
    const result = generate('My_Agent');
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("agent name 'My_Agent': use lower case words separated by dashes");
    expect(existsSync(join(copy, 'agents/My_Agent'))).toBe(false);
  }, 120_000);

  it('--dry-run lists the files and writes none', () => {
    const result = generate(NAME, '--dry-run');
    expect(result.code, result.output).toBe(0);
    for (const file of ['README.md', 'package.json', 'src/agent.ts', 'src/main.ts', 'src/params.ts', 'src/actions/start.ts', 'tests/conformance.test.ts']) {
      expect(result.output).toContain(`CREATE agents/${NAME}/${file}`);
    }
    expect(existsSync(agentDir)).toBe(false);
  }, 120_000);

  describe('a generated agent, unedited', () => {
    beforeAll(() => {
      const result = generate(NAME, '--description', 'Runs an echo service');
      if (result.code !== 0) throw new Error(result.output);
    }, 120_000);

    it('is one package under agents/<name>, and nothing else changed', () => {
      // the name and version come from package.json, as in every agent: written once
      const agent = readFileSync(join(agentDir, 'src/agent.ts'), 'utf8');
      expect(agent).toContain("import manifest from '../package.json' with { type: 'json' };");
      expect(agent).toContain('  ...nameAndVersion(manifest),\n');
      expect(agent).not.toMatch(/\b(name|version): '/);
      expect(JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8'))).toMatchObject({ name: `@ocfkit/${NAME}`, ocfkit: { agent: 'src/main.ts' }, bin: { [NAME]: `dist/${NAME}` } });
      expect(readFileSync(join(copy, 'package.json'), 'utf8')).toBe(readFileSync(join(repo, 'package.json'), 'utf8'));
      expect(readdirSync(join(copy, 'agents'))).toEqual([NAME]);
    });

    it('refuses to overwrite it', () => {
      const result = generate(NAME);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(`agents/${NAME} already exists`);
    }, 120_000);

    it('has the parameter table the docs tool would write', () => {
      const before = readFileSync(join(agentDir, 'README.md'), 'utf8');
      expect(before).toMatch(/\| `binary` \|/);
      const docs = run('node', ['tools/docs/src/cli.mjs', '--check', NAME]);
      expect(docs.code, docs.output).toBe(0);
      expect(readFileSync(join(agentDir, 'README.md'), 'utf8')).toBe(before);
    }, 120_000);

    it('typechecks', () => {
      const tsc = run('npx', ['tsc', '-p', 'tsconfig.json']);
      expect(tsc.output.split('\n').filter((l) => l.includes(`agents/${NAME}`))).toEqual([]);
    }, 300_000);

    it('builds with the workspace build into dist/resource.d/ocfkit/', () => {
      const build = run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);
      expect(build.code, build.output).toBe(0);
      expect(existsSync(join(copy, 'dist/resource.d/ocfkit', NAME))).toBe(true);
      expect(existsSync(join(agentDir, 'dist', `ocf_ocfkit_${NAME}.7`)), 'its man page, beside the copy its package publishes').toBe(true);
    }, 300_000);

    it('passes its own tests: the conformance suite and ocf-tester', () => {
      const tests = run('npx', ['vitest', 'run', `agents/${NAME}`, '--reporter=verbose']);
      expect(tests.code, tests.output.slice(-4000)).toBe(0);
      expect(tests.output).toMatch(/ocf-tester: resource-agents' ocf-tester passes/);
    }, 300_000);

    it('passes `ocfkit test-agent` with the parameters its test uses', () => {
      const dir = mkdtempSync(join(copy, 'scratch-'));
      const standIn = join(agentDir, 'tests/fixtures/stand-in-service.sh');
      const args = ['test-agent', join(copy, 'dist/resource.d/ocfkit', NAME), '-o', 'binary=/bin/sh', '-o', `args=${standIn} ${dir}`, '-o', `pidfile=${dir}/service.pid`, '-o', `log_file=${dir}/service.log`];
      const kit = run(join(copy, 'dist/bin/ocfkit'), [...args, '--never-starts', 'binary=/bin/false', '--reason', 'exited during start', '--json']);
      expect(kit.code, kit.output.slice(-3000)).toBe(0);
      expect(JSON.parse(kit.stdout).summary.fail).toBe(0);
    }, 300_000);

    it('is packaged as a .deb', () => {
      const pkg = run('node', ['tools/package/src/cli.mjs', NAME, '--deb']);
      expect(pkg.code, pkg.output).toBe(0);
      const debs = readdirSync(join(copy, 'dist/packages')).filter((f) => f.endsWith('.deb'));
      expect(debs).toEqual([expect.stringMatching(new RegExp(`^ocfkit-${NAME}_0\\.1\\.0.*\\.deb$`))]);
      expect(execFileSync('dpkg-deb', ['-c', join(copy, 'dist/packages', debs[0]!)], { encoding: 'utf8' })).toContain(`./usr/lib/ocf/resource.d/ocfkit/${NAME}`);
    }, 300_000);
  });
});
