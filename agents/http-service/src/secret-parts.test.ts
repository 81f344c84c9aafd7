import { describe, expect, it } from 'vitest';
import { environmentSecrets, headerSecrets, urlSecrets } from './secret-parts.ts';

describe('headerSecrets', () => {
  it('each value, except headers that carry no credential', () => {
    expect(headerSecrets('Host: app.example.com|Authorization: Bearer abc123|X-Api-Key: k3y-value|Accept: */*')).toEqual(['Bearer abc123', 'k3y-value']);
  });
  it('a piece without a colon after a header is the rest of a value that held a "|": secret whole', () => {
    expect(headerSecrets('Authorization: Basic abc|defg')).toEqual(['Basic abc', 'defg']);
    expect(headerSecrets('no colon here|X-Key: k3y-value')).toEqual(['k3y-value']);
  });
});

describe('environmentSecrets', () => {
  it("each value (quoted as the program gets it), but not ports, yes/no words or short values", () => {
    expect(environmentSecrets(`PORT=8080 MODE=on API_TOKEN=t0ken-value SECRET='two words' X=ab`)).toEqual(['t0ken-value', 'two words']);
  });
  it('a word that is not KEY=VALUE after one is the rest of an unquoted value: secret', () => {
    expect(environmentSecrets('PASSWORD=first second')).toEqual(['first', 'second']);
    expect(environmentSecrets('NOEQUALS PORT=80')).toEqual([]);
  });
  it('unbalanced quotes: cannot tell, so the whole value is secret', () => {
    expect(environmentSecrets("PASSWORD='open")).toBeUndefined();
  });
});

describe('urlSecrets', () => {
  it('the password as written and decoded, or a token given as the user name', () => {
    expect(urlSecrets('http://alice:p%40ss@host/')).toEqual(['p%40ss', 'p@ss']);
    expect(urlSecrets('https://tok3n@host/')).toEqual(['tok3n', 'tok3n']);
    expect(urlSecrets('http://host/')).toEqual([]);
    expect(urlSecrets('not a url')).toEqual([]);
  });
});
