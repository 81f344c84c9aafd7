import { describe, expect, it } from 'vitest';
import { param } from './declare.ts';
import { declaredSecrets } from './secrets.ts';

const params = {
  password: param.string({ secret: true, shortdesc: 'p' }),
  headers: param.string({ shortdesc: 'h', secret: (raw) => (raw.includes(':') ? raw.split('|').map((h) => h.slice(h.indexOf(':') + 1).trim()) : undefined) }),
  broken: param.string({ shortdesc: 'b', secret: () => { throw new Error('cannot read'); } }),
  plain: param.string({ shortdesc: 'x' }),
};

describe('declaredSecrets', () => {
  it('a secret parameter: its whole raw value; secret parts: what the declaration extracts', () => {
    const env = { OCF_RESKEY_password: ' pw ', OCF_RESKEY_headers: 'A: one|B: two', OCF_RESKEY_plain: 'visible' };
    expect([...declaredSecrets(params, env)]).toEqual([' pw ', 'one', 'two']);
  });
  it('an extractor that cannot tell, or throws: the whole value', () => {
    const env = { OCF_RESKEY_headers: 'no colon', OCF_RESKEY_broken: 'whole' };
    expect([...declaredSecrets(params, env)]).toEqual(['no colon', 'whole']);
  });
  it('unset and empty values give nothing', () => {
    expect([...declaredSecrets(params, { OCF_RESKEY_password: '  ' })]).toEqual([]);
  });
});
