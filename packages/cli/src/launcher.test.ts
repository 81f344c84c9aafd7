import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLauncher, renderLauncher } from './launcher.ts';

describe('launcher', () => {
  it('reads back what it wrote, quotes included', () => {
    const node = "/opt/it's node/bin/node";
    const agent = '/usr/lib/node_modules/@ocfkit/redis/dist/redis';
    expect(parseLauncher(renderLauncher(node, agent))).toEqual({ node, agent });
  });

  it('does not claim a file someone else wrote', () => {
    expect(parseLauncher('#!/bin/sh\nexec /usr/bin/node /x "$@"\n')).toBeUndefined();
    expect(parseLauncher('#!/usr/bin/env node\n"use strict";\n')).toBeUndefined();
  });

  it('passes the action and arguments through to the named node and agent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocfkit-launcher-'));
    try {
      const agent = join(dir, "the agent's file");
      writeFileSync(agent, 'console.log(JSON.stringify(process.argv.slice(2)))\n');
      const launcher = join(dir, 'launcher');
      writeFileSync(launcher, renderLauncher(process.execPath, agent));
      chmodSync(launcher, 0o755);
      const run = spawnSync(launcher, ['monitor', 'a b'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(['monitor', 'a b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
