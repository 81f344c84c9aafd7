import { describe, expect, it } from 'vitest';
import { directiveSecrets, rawWords } from './secret-directives.ts';
import { splitArgs } from './split-args.ts';

describe('rawWords', () => {
  it.for([
    'user alice on >pw ~* +@all',
    `user bob on >"p w\\x41" '#x y' ~*`,
    `requirepass "a \\" b"`,
    `masterauth 'it\\'s'`,
    `user carol   on\t>"quoted"   >bare`,
  ])('cuts %s where sdssplitargs does', (line) => {
    const words = rawWords(line);
    expect(words.length).toBe(splitArgs(Buffer.from(line, 'latin1'))!.args.length);
    expect(words.join(' ').replace(/\s+/g, ' ')).toBe(line.replace(/\s+/g, ' '));
  });
});

describe('directiveSecrets', () => {
  const secrets = (line: string) => {
    const [name, ...args] = splitArgs(Buffer.from(line, 'latin1'))!.args;
    return directiveSecrets(name!.toLowerCase(), args, line);
  };
  it('passwords and passphrases, as read and as written', () => {
    expect(secrets('requirepass "a b"')).toEqual(['a b', '"a b"']);
    expect(secrets('masterauth plain')).toEqual(['plain', 'plain']);
    expect(secrets('tls-key-file-pass k1 k2')).toEqual(['k1', 'k1', 'k2', 'k2']);
    expect(secrets('tls-client-key-file-pass ck')).toEqual(['ck', 'ck']);
  });
  it('ACL rules: >pass <pass #hash !hash after the user name, nothing else', () => {
    expect(secrets('user >alice on >p1 <p2 #h1 !h2 ~* +@all nopass')).toEqual(['p1', 'p1', 'p2', 'p2', 'h1', 'h1', 'h2', 'h2']);
    expect(secrets('user bob on >"p \\x41"')).toEqual(['p A', '"p \\x41"']);
  });
  it('the new name of a renamed command, and a sentinel\'s passwords', () => {
    expect(secrets('rename-command CONFIG s3cret-config')).toEqual(['s3cret-config', 's3cret-config']);
    expect(secrets('rename-command FLUSHALL ""')).toEqual([]);
    expect(secrets('sentinel auth-pass mymaster spw')).toEqual(['spw', 'spw']);
  });
  it('other directives hold none', () => {
    expect(secrets('masteruser alice')).toEqual([]);
    expect(secrets('port 6379')).toEqual([]);
  });
});
