import { describe, expect, it } from 'vitest';
import { createSecrets, maskUserinfo } from './secrets.ts';

describe('maskUserinfo', () => {
  it.for([
    ['http://alice:pw@host/x', 'http://alice:***@host/x'],
    ['got redis://:pw@10.0.0.1:6379/0 and https://TOKEN@git.example/r', 'got redis://:***@10.0.0.1:6379/0 and https://***@git.example/r'],
    // a raw @ in the password: the authority ends at its last @, as URL parsers read it
    ['postgres://app:p@ss@db/app', 'postgres://app:***@db/app'],
    ['http://host:8080/path?mail=a@b.c', 'http://host:8080/path?mail=a@b.c'],
    ['mail admin@example.com about http://host/', 'mail admin@example.com about http://host/'],
  ] as const)('%s', ([text, masked]) => {
    expect(maskUserinfo(text)).toBe(masked);
  });
});

describe('createSecrets', () => {
  it('masks every form a secret takes in our output: as is, in JSON, percent-encoded', () => {
    const secrets = createSecrets();
    expect(secrets.add('p"w d/1')).toBe('p"w d/1');
    expect(secrets.mask('raw p"w d/1, json "p\\"w d/1", url p%22w%20d%2F1')).toBe('raw ***, json "***", url ***');
  });
  it('masks the longest secret first, so a secret containing another is masked whole', () => {
    const secrets = createSecrets();
    secrets.add('abcd');
    secrets.add('xxabcdxx');
    expect(secrets.mask('xxabcdxx abcd')).toBe('*** ***');
  });
  it('ignores empty values, and a secret added later counts from then on', () => {
    const secrets = createSecrets();
    secrets.add('');
    secrets.add(undefined);
    expect(secrets.mask('nothing here')).toBe('nothing here');
    secrets.add('here');
    expect(secrets.mask('nothing here')).toBe('nothing ***');
  });
  it('reads a source only when something is masked, and only once', () => {
    const secrets = createSecrets();
    let reads = 0;
    secrets.addLater(function* () {
      reads++;
      yield 'token1';
    });
    expect(reads).toBe(0);
    expect(secrets.mask('a token1')).toBe('a ***');
    expect(secrets.mask('b token1')).toBe('b ***');
    expect(reads).toBe(1);
  });
});
