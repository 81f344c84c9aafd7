import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOwnFile } from './own-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'own-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('readOwnFile', () => {
  it('reads a file of ours, whole or up to maxBytes', () => {
    const path = file('ours', '{"a":1}', 0o600);
    expect(readOwnFile(path)).toBe('{"a":1}');
    expect(readOwnFile(path, { maxBytes: 3 })).toBe('{"a');
  });

  it('refuses what others could have written, or read when asked: nothing is returned', () => {
    expect(readOwnFile(file('group-writable', 'x', 0o620))).toBeUndefined();
    expect(readOwnFile(file('world-writable', 'x', 0o602))).toBeUndefined();
    const readable = file('readable', 'secret', 0o644);
    expect(readOwnFile(readable)).toBe('secret');
    expect(readOwnFile(readable, { forbidden: 0o077 })).toBeUndefined();
  });

  it('refuses a symlink (even to a file of ours), a directory, and a missing path', () => {
    const target = file('target', 'x', 0o600);
    symlinkSync(target, join(dir, 'link'));
    mkdirSync(join(dir, 'sub'));
    expect(readOwnFile(join(dir, 'link'))).toBeUndefined();
    expect(readOwnFile(join(dir, 'sub'))).toBeUndefined();
    expect(readOwnFile(join(dir, 'missing'))).toBeUndefined();
  });
});
