import { describe, expect, it } from 'vitest';
import { commandName, encodeCommand } from './encode.ts';

describe('encodeCommand', () => {
  it('writes an array of bulk strings, lengths in bytes', () => {
    expect(encodeCommand(['AUTH', 'pä ss\r\n']).toString('utf8')).toBe('*2\r\n$4\r\nAUTH\r\n$8\r\npä ss\r\n\r\n');
  });
});

describe('commandName', () => {
  it('names the command and, for families, the subcommand, never the arguments', () => {
    expect(commandName(['info', 'replication'])).toBe('INFO');
    expect(commandName(['config', 'set', 'masterauth', 's3cret'])).toBe('CONFIG SET');
    expect(commandName(['AUTH', 'alice', 's3cret'])).toBe('AUTH');
  });
});
