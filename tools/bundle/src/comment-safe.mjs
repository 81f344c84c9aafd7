// The executable keeps an agent's code inside a block comment (code-cache.mjs says why), so the
// code must not contain "*/". esbuild's output can: a regex such as /\s*/g, a string such as
// "Accept: */*". Escaping it would cost every call an unescaping copy of the whole code, so the
// build rewrites each occurrence into code that means the same and reads differently, using
// TypeScript's parser to know what each occurrence is part of:
// - a string or an untagged template: "/" becomes "\/" (the same character);
// - a regex whose "*" ends its pattern: an empty group "(?:)" goes between them (it matches the
//   empty string and captures nothing: every match stays the same, only its .source shows it);
//   a "/" inside a class becomes "\/";
// - between two tokens (a * /re/): a space;
// - in a comment (an unminified build keeps them): the comment goes.
// Anything else (a tagged template, whose raw text its tag can see) fails the build.
import ts from 'typescript';

const END = '*/';

/** Literal tokens, by start position: [start, end, node]. */
function literals(file) {
  const found = [];
  const visit = (node) => {
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.RegularExpressionLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
      case ts.SyntaxKind.TemplateTail:
        found.push([node.getStart(file), node.end, node]);
        break;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found.sort((a, b) => a[0] - b[0]);
}

/** Comment ranges, [start, end], found outside the literals (sorted by start). */
function comments(code, tokens) {
  const found = [];
  let next = 0;
  for (let i = 0; i < code.length; ) {
    while (next < tokens.length && tokens[next][1] <= i) next++;
    if (next < tokens.length && tokens[next][0] <= i) {
      i = tokens[next][1];
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2) + 2;
      found.push([i, end]);
      i = end;
    } else if (code.startsWith('//', i)) {
      const newline = code.indexOf('\n', i);
      const end = newline === -1 ? code.length : newline;
      found.push([i, end]);
      i = end;
    } else {
      i++;
    }
  }
  return found;
}

function isTagged(node) {
  for (let n = node.parent; n; n = n.parent) {
    if (n.kind === ts.SyntaxKind.TaggedTemplateExpression) return true;
    if (n.kind === ts.SyntaxKind.TemplateExpression || n.kind === ts.SyntaxKind.TemplateSpan) continue;
    return false;
  }
  return false;
}

function syntaxErrors(code) {
  return ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS).parseDiagnostics;
}

/** `code` (a script) with no "*" directly followed by "/", meaning the same. */
export function withoutCommentEnd(code, what = 'the bundle') {
  if (!code.includes(END)) return code;
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  if (file.parseDiagnostics.length > 0) throw new Error(`${what}: esbuild's output does not parse`);
  const tokens = literals(file);
  const notes = comments(code, tokens);
  // [start, end, text]: what replaces code.slice(start, end)
  const edits = new Map();
  for (let at = code.indexOf(END); at !== -1; at = code.indexOf(END, at + 1)) {
    const slash = at + 1;
    const note = notes.find(([start, end]) => start <= at && slash < end);
    if (note) {
      edits.set(note[0], [note[0], note[1], ' ']);
      continue;
    }
    const token = tokens.find(([start, end]) => start <= at && slash < end);
    if (!token) {
      edits.set(slash, [slash, slash + 1, ' /']);
      continue;
    }
    const [start, , node] = token;
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const closing = start + node.getText(file).lastIndexOf('/');
      edits.set(slash, [slash, slash + 1, slash === closing ? '(?:)/' : '\\/']);
    } else if (node.kind === ts.SyntaxKind.StringLiteral || !isTagged(node)) {
      edits.set(slash, [slash, slash + 1, '\\/']);
    } else {
      throw new Error(`${what}: a tagged template holds "*/" at offset ${at}; it cannot be kept in a comment`);
    }
  }
  let out = '';
  let from = 0;
  for (const [start, end, text] of [...edits.values()].sort((a, b) => a[0] - b[0])) {
    out += code.slice(from, start) + text;
    from = end;
  }
  out += code.slice(from);
  if (out.includes(END) || syntaxErrors(out).length > 0) throw new Error(`${what}: could not rewrite "*/" safely`);
  return out;
}
