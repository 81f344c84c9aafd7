import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { commandPage } from '../src/man-pages.mjs';
import { ROOT } from './helpers/build.ts';

// The hand-written pages of the commands, kept in step with the built commands themselves: every
// command and option their --help (or usage line) shows must be in the page.
const work = mkdtempSync(join(tmpdir(), 'ocfkit-man-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const roffPlain = (text: string) => text.replace(/\\-/g, '-').replace(/\\f[BIRP]/g, '');
const page = (name: string) => commandPage(name, 1_795_552_575, '0.1.0') as { section: number; text: string };
const bin = (name: string) => join(ROOT, 'dist/bin', name);
const run = (cmd: string, args: string[]) => spawnSync(process.execPath, [cmd, ...args], { encoding: 'utf8' });

function manCheck(name: string): void {
  const { section, text } = page(name);
  const file = join(work, `${name}.${section}`);
  writeFileSync(file, text);
  const man = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', file], { encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8', MANWIDTH: '80' } });
  expect(man.stderr).toBe('');
  expect(man.status).toBe(0);
  expect(spawnSync('lexgrog', [file]).status).toBe(0);
}

describe('ocfkit(8)', () => {
  it('formats without a warning, with a NAME line lexgrog reads', () => manCheck('ocfkit'));

  it('documents every command and every option of the built CLI', () => {
    if (!existsSync(bin('ocfkit'))) throw new Error(`${bin('ocfkit')} missing: npm run build first`);
    const text = roffPlain(page('ocfkit').text);
    const commands = [...run(bin('ocfkit'), ['--help']).stdout.matchAll(/^ {2}([a-z][a-z-]+) {2,}/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      expect(text).toMatch(new RegExp(`^\\.SS "?${command}\\b`, 'm'));
      const help = run(bin('ocfkit'), [command, '--help']).stdout;
      for (const option of new Set(help.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? [])) expect(text, `${command} ${option}`).toContain(option);
    }
  });
});

describe('tfs-ha-monitor(1)', () => {
  it('formats without a warning, with a NAME line lexgrog reads', () => manCheck('tfs-ha-monitor'));

  it('documents every option of the built command\'s usage line', () => {
    const usage = run(bin('tfs-ha-monitor'), []).stderr;
    expect(usage).toMatch(/^usage: /m);
    const text = roffPlain(page('tfs-ha-monitor').text);
    for (const option of usage.match(/(?<=[\s[])-[a-z]\b/g) ?? []) expect(text).toMatch(new RegExp(`^\\.(B|BI) ${option}\\b`, 'm'));
  });
});
