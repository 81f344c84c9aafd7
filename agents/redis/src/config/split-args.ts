// redis.conf lines are split exactly as redis-server splits them (sds.c, sdssplitargs): words
// separated by blanks; "double quotes" with \n \r \t \b \a \\ \" and \xHH escapes; 'single
// quotes' where only \' is an escape; a quote may open mid-word (ab"c d" is one word), but a
// closing quote must be followed by a blank or the end of the line. Works on bytes, as Redis does.

export interface SplitLine {
  readonly args: string[];
  /** Some word is not valid UTF-8 (a \xHH escape): its text here is not byte-exact. */
  readonly lossy: boolean;
}

const isSpace = (b: number | undefined) => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);
const HEX = /^[0-9a-fA-F]$/;
const isHex = (b: number | undefined) => b !== undefined && HEX.test(String.fromCharCode(b));

const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x61: 0x07 }; // n r t b a

/** Split one line into words; undefined when quotes are unbalanced (Redis refuses such a line). */
export function splitArgs(line: Buffer): SplitLine | undefined {
  const args: string[] = [];
  let lossy = false;
  let p = 0;
  const at = (i: number) => (i < line.length ? line[i] : undefined);
  for (;;) {
    while (isSpace(at(p))) p++;
    if (at(p) === undefined) return { args, lossy };
    const word: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === 0x5c && at(p + 1) === 0x78 && isHex(at(p + 2)) && isHex(at(p + 3))) {
          word.push(Number.parseInt(String.fromCharCode(at(p + 2)!, at(p + 3)!), 16));
          p += 3;
        } else if (c === 0x5c && at(p + 1) !== undefined) {
          p++;
          const e = at(p)!;
          word.push(ESCAPES[e] ?? e);
        } else if (c === 0x22) {
          if (at(p + 1) !== undefined && !isSpace(at(p + 1))) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else {
          word.push(c);
        }
      } else if (inSingle) {
        if (c === 0x5c && at(p + 1) === 0x27) {
          p++;
          word.push(0x27);
        } else if (c === 0x27) {
          if (at(p + 1) !== undefined && !isSpace(at(p + 1))) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else {
          word.push(c);
        }
      } else if (c === undefined || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x00) {
        done = true;
      } else if (c === 0x22) {
        inDouble = true;
      } else if (c === 0x27) {
        inSingle = true;
      } else {
        word.push(c);
      }
      if (c !== undefined) p++;
    }
    const bytes = Buffer.from(word);
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) lossy = true;
    args.push(text);
  }
}
