// Commands go out as RESP arrays of bulk strings: binary-safe, so a password with spaces, quotes
// or newlines needs no escaping (the inline protocol would split it).

/** One command, `['CONFIG', 'GET', 'port']`, as the bytes Redis expects. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n');

/** Subcommand families whose second word says what is being done (never more: the rest may be secret). */
const FAMILIES = new Set(['ACL', 'CLIENT', 'CLUSTER', 'COMMAND', 'CONFIG', 'DEBUG', 'FUNCTION', 'MEMORY', 'MODULE', 'OBJECT', 'SCRIPT', 'SLOWLOG', 'XINFO']);

/** How a command is named in messages: `INFO`, `CONFIG SET`; arguments are never shown. */
export function commandName(args: readonly string[]): string {
  const first = (args[0] ?? '').toUpperCase();
  return FAMILIES.has(first) && args[1] !== undefined ? `${first} ${args[1].toUpperCase()}` : first;
}
