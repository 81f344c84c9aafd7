import { describe, expect, it } from 'vitest';
import { splitWords } from './words.ts';

describe('splitWords', () => {
  it('splits like a shell, without expanding anything', () => {
    expect(splitWords(`--port 8080 --name "blue green" 'it''s' a\\ b $HOME`)).toEqual(['--port', '8080', '--name', 'blue green', 'its', 'a b', '$HOME']);
  });
  it('keeps empty quoted words', () => {
    expect(splitWords(`a "" b`)).toEqual(['a', '', 'b']);
  });
  it('handles escapes inside double quotes', () => {
    expect(splitWords(`"say \\"hi\\""`)).toEqual(['say "hi"']);
  });
  it('rejects an open quote', () => {
    expect(splitWords(`"open`)).toBeUndefined();
  });
  it('gives no words for blank text', () => {
    expect(splitWords('   ')).toEqual([]);
  });
});
