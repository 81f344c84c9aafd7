import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastWords, tbsysMessage } from './last-words.ts';

const dir = mkdtempSync(join(tmpdir(), 'ocfkit-tfs-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('last words of a NameServer', () => {
  it('strips the tbsys prefix', () => {
    expect(tbsysMessage('[2024-11-24 17:56:00.123456] ERROR initialize (nameserver.cpp:371) [140234] listen port: 3100 fail')).toEqual({
      level: 'ERROR',
      message: 'listen port: 3100 fail',
    });
    expect(tbsysMessage('[2016-01-12 13:30:48] ERROR main (ha_monitor.cpp:130) [47584978045008] ping server failed, get status: -1').message).toBe(
      'ping server failed, get status: -1',
    );
    expect(tbsysMessage('[2016-01-12 13:30:48] INFO nothing else')).toEqual({ level: 'INFO', message: 'nothing else' });
    expect(tbsysMessage('plain text')).toEqual({ message: 'plain text' });
  });

  it('prefers the last ERROR line of the tail', async () => {
    const log = join(dir, 'a.log');
    writeFileSync(
      log,
      [
        '[2024-11-24 17:56:00.1] INFO  main (base_main.cpp:182) [1] starting',
        '[2024-11-24 17:56:00.2] ERROR initialize (nameserver.cpp:371) [1] listen port: 3100 fail',
        '[2024-11-24 17:56:00.3] INFO  main (base_main.cpp:260) [1] nameserver stopped',
        '',
      ].join('\n'),
    );
    expect(await lastWords(log)).toBe('listen port: 3100 fail');
  });

  it('takes the last line without an ERROR, and nothing from a missing log', async () => {
    const log = join(dir, 'b.log');
    writeFileSync(log, '[2024-11-24 17:56:00.1] WARN  x (y.cpp:1) [1] something odd\n');
    expect(await lastWords(log)).toBe('something odd');
    expect(await lastWords(join(dir, 'missing.log'))).toBeUndefined();
  });
});
