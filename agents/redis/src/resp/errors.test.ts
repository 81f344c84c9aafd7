import { describe, expect, it } from 'vitest';
import { redact, serverErrorCode } from './errors.ts';

describe('serverErrorCode', () => {
  it.each([
    ['NOAUTH Authentication required.', 'REDIS_NOAUTH'],
    ['WRONGPASS invalid username-password pair or user is disabled.', 'REDIS_WRONGPASS'],
    ['ERR invalid password', 'REDIS_WRONGPASS'],
    ['ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?', 'REDIS_AUTH_NOT_REQUIRED'],
    ['ERR Client sent AUTH, but no password is set', 'REDIS_AUTH_NOT_REQUIRED'],
    ['LOADING Redis is loading the dataset in memory', 'REDIS_LOADING'],
    ['BUSY Redis is busy running a script.', 'REDIS_BUSY'],
    ["MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", 'REDIS_MASTERDOWN'],
    ["READONLY You can't write against a read only replica.", 'REDIS_READONLY'],
    ['NOPERM this user has no permissions to run the \'info\' command', 'REDIS_NOPERM'],
    ['MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.', 'REDIS_MISCONF'],
    ['DENIED Redis is running in protected mode', 'REDIS_DENIED'],
    ['ERR max number of clients reached', 'REDIS_MAXCLIENTS'],
    ["ERR unknown command 'REPLICAOF', with args beginning with: 'no' 'one' ", 'REDIS_UNKNOWN_COMMAND'],
    ['ERR syntax error', 'REDIS_ERR'],
  ])('%s -> %s', (text, code) => {
    expect(serverErrorCode(text)).toBe(code);
  });
});

describe('redact', () => {
  it('blanks every occurrence of every secret', () => {
    expect(redact("ERR unknown command 'AUTH', with args beginning with: 'pw' 'pw'", ['pw', ''])).toBe(
      "ERR unknown command 'AUTH', with args beginning with: '(hidden)' '(hidden)'",
    );
  });
});
