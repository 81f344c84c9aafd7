import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostsFileAddress } from './hosts-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'ocfkit-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostsFileAddress', () => {
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n# 10.0.0.9 commented\n10.0.0.5  ns1.example.com   NS1 # master\n');

  it('finds the first IPv4 address of a name, case-insensitively, as gethostbyname does', () => {
    expect(hostsFileAddress('localhost', hosts)).toBe('127.0.0.1');
    expect(hostsFileAddress('ns1', hosts)).toBe('10.0.0.5');
    expect(hostsFileAddress('NS1.example.com', hosts)).toBe('10.0.0.5');
  });

  it('takes localhost as 127.0.0.1 without reading the system file', () => {
    expect(hostsFileAddress('localhost')).toBe('127.0.0.1');
    expect(hostsFileAddress('LocalHost')).toBe('127.0.0.1');
  });

  it('knows nothing of IPv6 entries, comments, unknown names or a missing file', () => {
    expect(hostsFileAddress('ip6-localhost', hosts)).toBeUndefined();
    expect(hostsFileAddress('commented', hosts)).toBeUndefined();
    expect(hostsFileAddress('other', hosts)).toBeUndefined();
    expect(hostsFileAddress('localhost', join(dir, 'missing'))).toBeUndefined();
  });
});
