import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { withoutCommentEnd } from '../src/comment-safe.mjs';

// each script's value, before and after the rewrite, must be the same and hold no "*/"
const cases: Record<string, string> = {
  'a double-quoted string': '"Accept: */*"',
  'a single-quoted string': "'a*/b' + '\\*/'",
  'a template': '`x */ ${1 + 2} y */ z`',
  'a regex ending in a quantifier': '" a \\n b ".replace(/\\s*[\\r\\n]+\\s*/g, "|")',
  'a regex with "*/" in a class': '"a*/b".split(/[*/]/).join(",")',
  'an escaped star before the closing slash': '[/a\\*/.test("a*"), /^\\*/u.test("*x"), "a*".replace(/a\\*/, "-")]',
  'a regex multiplied': 'var n = 6; n*/3/.test("3")',
  'comments (an unminified build)': 'var a = 1 /* one */ + /* @__PURE__ */ 2; // three */\na',
  'several in one line': '["*/", "axxb".replace(/x*/g, "-"), `*/`].join("")',
};

describe('withoutCommentEnd', () => {
  for (const [what, code] of Object.entries(cases)) {
    it(`keeps the meaning of ${what}`, () => {
      const rewritten = withoutCommentEnd(code);
      expect(rewritten).not.toContain('*/');
      expect(runInNewContext(rewritten)).toEqual(runInNewContext(code));
    });
  }

  it('leaves code without "*/" as it is', () => {
    const code = 'var a = 1 * 2 / 3; "/*";';
    expect(withoutCommentEnd(code)).toBe(code);
  });

  it('refuses a tagged template, whose tag sees the raw text', () => {
    expect(() => withoutCommentEnd('String.raw`a*/b`', 'demo')).toThrow(/demo: a tagged template holds/);
  });
});
