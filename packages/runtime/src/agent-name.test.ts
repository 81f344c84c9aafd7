import { describe, expect, it } from 'vitest';
import { nameAndVersion } from './agent-name.ts';

describe('nameAndVersion', () => {
  it('takes the agent name from the package name, without its scope', () => {
    expect(nameAndVersion({ name: '@ocfkit/tfs-nameserver', version: '0.1.0' })).toEqual({ name: 'tfs-nameserver', version: '0.1.0' });
    expect(nameAndVersion({ name: 'my-service', version: '2.0.0' })).toEqual({ name: 'my-service', version: '2.0.0' });
  });
});
