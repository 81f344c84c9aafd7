import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../agent.ts';
import { param } from '../params/declare.ts';
import { DOCUMENTED_ENVIRONMENT, manExamples, renderManPage } from './man-page.ts';

const here = dirname(fileURLToPath(import.meta.url));
const noop = async () => undefined;
const agent = defineAgent({
  name: 'demo-service',
  version: '1.2.3',
  shortdesc: 'A demo service',
  longdesc: 'First paragraph\nwrapped.\n\nSecond paragraph.',
  params: {
    config: param.string({ required: true, shortdesc: 'Configuration file' }),
    pidfile: param.string({ default: '/run/demo.pid', shortdesc: 'Pidfile' }),
    mode: param.select({ options: ['fast', 'safe'], default: 'safe', shortdesc: 'Mode' }),
  },
  actions: {
    start: { run: noop, timeout: '30s' },
    stop: { run: noop, timeout: '20s' },
    monitor: { run: async () => 0 as const, timeout: '20s', interval: '10s', variants: [{ timeout: '30s', interval: '60s', depth: 10 }] },
    promote: { run: noop, timeout: '10s' },
    demote: { run: noop, timeout: '10s' },
  },
});

describe('renderManPage', () => {
  const page = renderManPage(agent, '2026-11-24', {
    readme: '# x\n\n```sh\npcs resource create d ocf:ocfkit:demo-service config=/etc/d.conf\n```\n\n```sh\ncrm configure primitive d ocf:ocfkit:demo-service params config=/etc/d.conf\n```\n',
  });

  it('has the sections of a section-7 agent page, dated as asked', () => {
    expect(page.split('\n')[0]).toBe('.TH OCF_OCFKIT_DEMO_SERVICE 7 "2026-11-24" "ocfkit 1.2.3" "OCF resource agents"');
    expect(page.match(/^\.SH .*$/gm)).toEqual(['.SH NAME', '.SH SYNOPSIS', '.SH DESCRIPTION', '.SH PARAMETERS', '.SH ACTIONS', '.SH EXIT STATUS', '.SH FILES', '.SH ENVIRONMENT', '.SH EXAMPLES', '.SH SEE ALSO']);
    expect(page).toContain('First paragraph wrapped.\n.PP\nSecond paragraph.');
  });

  it('gives every parameter its type and default', () => {
    expect(page).toContain('.TP\n\\fBconfig\\fR (string, required)\nConfiguration file');
    expect(page).toContain('\\fBpidfile\\fR (string, default /run/demo.pid)');
    expect(page).toContain('\\fBmode\\fR (one of fast, safe, default safe)');
  });

  it('lists each action with its default timeout, every monitor variant too', () => {
    expect(page).toContain('\\fBstart\\fR: timeout 30s');
    expect(page).toContain('\\fBmonitor\\fR: timeout 20s, interval 10s');
    expect(page).toContain('\\fBmonitor\\fR: timeout 30s, interval 60s, OCF_CHECK_LEVEL 10');
  });

  it('says what each exit code means, the promoted ones only for a promotable agent', () => {
    expect(page).toContain('\\fB6\\fR (OCF_ERR_CONFIGURED)');
    expect(page).toContain('\\fB8\\fR (OCF_RUNNING_PROMOTED)');
    const plain = renderManPage(defineAgent({ ...agent, actions: { start: agent.actions.start, stop: agent.actions.stop, monitor: agent.actions.monitor } }), '2026-11-24');
    expect(plain).not.toContain('OCF_RUNNING_PROMOTED');
  });

  it('names the default files, and the README examples verbatim', () => {
    expect(page).toContain('.TP\n\\fI/run/demo.pid\\fR\nPidfile (default of \\fBpidfile\\fR).');
    expect(page).toContain('.nf\npcs resource create d ocf:ocfkit:demo\\-service config=/etc/d.conf\n.fi');
    expect(page).toContain('crm configure primitive d ocf:ocfkit:demo\\-service params config=/etc/d.conf');
  });

  it('keeps roff requests out of the text', () => {
    const tricky = renderManPage(defineAgent({ ...agent, longdesc: '.SH not a section\n\n\\ backslash' }), '2026-11-24');
    expect(tricky).toContain('\\&.SH not a section');
    expect(tricky).toContain('\\e backslash');
  });
});

describe('manExamples', () => {
  it('takes the pcs create and crm configure blocks that use this agent, nothing else', () => {
    const readme = '```sh\npcs resource create x ocf:heartbeat:IPaddr2\n```\n```sh\npcs resource create y ocf:ocfkit:a \\\n  p=1\n```\n```sh\ncrm configure primitive y ocf:ocfkit:a\n```\n';
    expect(manExamples(readme, 'a')).toEqual(['pcs resource create y ocf:ocfkit:a \\\n  p=1', 'crm configure primitive y ocf:ocfkit:a']);
  });
});

describe('ENVIRONMENT', () => {
  // every variable the page documents is one the runtime (or the bundle's code cache) reads
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name) && e.name !== 'man-page.ts' ? [readFileSync(join(dir, e.name), 'utf8')] : [],
    );
  const sources = [join(here, '..'), join(here, '../../../../tools/bundle/src')].flatMap(walk).join('\n');
  const crmMeta = readFileSync(join(here, '../env/crm-meta.ts'), 'utf8');
  it.for(DOCUMENTED_ENVIRONMENT)('%s is read somewhere', (name) => {
    const meta = name.match(/^OCF_RESKEY_CRM_meta_(\w+)$/);
    // CRM_meta_* are read by their short names, under one prefix
    if (meta) expect(crmMeta).toMatch(new RegExp(`\\b${meta[1]}\\b`));
    else expect(sources).toContain(name.replace(/parameter$/, ''));
  });
});
