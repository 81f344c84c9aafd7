import { describe, expect, it } from 'vitest';
import { splitArgs } from './split-args.ts';

const split = (line: string) => splitArgs(Buffer.from(line, 'utf8'));

describe('splitArgs (sdssplitargs)', () => {
  it.each([
    ['requirepass secret', ['requirepass', 'secret']],
    ['  save   900 1\t300 10  ', ['save', '900', '1', '300', '10']],
    ['requirepass "with space"', ['requirepass', 'with space']],
    ['requirepass "q\\"uote\\\\ \\n\\r\\t\\b\\a"', ['requirepass', 'q"uote\\ \n\r\t\b\x07']],
    ['requirepass "\\x41\\x62c"', ['requirepass', 'Abc']],
    ['requirepass "\\x4"', ['requirepass', 'x4']],
    ["requirepass 'it\\'s \"raw\" \\n'", ['requirepass', 'it\'s "raw" \\n']],
    ['requirepass ab"c d"e', undefined],
    ['requirepass ab"c d"', ['requirepass', 'abc d']],
    ['save ""', ['save', '']],
    ["save ''", ['save', '']],
    ['requirepass "open', undefined],
    ["requirepass 'open", undefined],
    ['requirepass "closed"x', undefined],
    ['pass#word', ['pass#word']],
    ['', []],
  ])('%s', (line, expected) => {
    const result = split(line);
    expect(result === undefined ? undefined : result.args).toEqual(expected);
  });

  it('flags words that are not valid UTF-8', () => {
    expect(split('requirepass "\\xff"')!.lossy).toBe(true);
    expect(split('requirepass "\\xc3\\xa9"')).toEqual({ args: ['requirepass', 'é'], lossy: false });
  });
});
