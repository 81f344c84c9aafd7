/** A tbsys configuration file: `[section]` headers, `key = value` lines, `#` comments. */
export type Ini = Record<string, Record<string, string>>;

export function parseIni(text: string): Ini {
  const ini: Ini = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      ini[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    (ini[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return ini;
}
