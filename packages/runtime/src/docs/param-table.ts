import type { AnyAgent } from '../agent.ts';
import type { Param, ParamMap } from '../params/declare.ts';

const KIND: Record<string, string> = { string: 'string', path: 'absolute path', integer: 'integer', boolean: 'boolean', duration: 'duration', select: 'one of' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function typeText(spec: Param): string {
  if (spec.kind === 'select') return `one of ${spec.options!.map((o) => `\`${o}\``).join(', ')}`;
  if (spec.kind === 'integer' && spec.min === 1 && spec.max === 65535) return 'port';
  if (spec.kind === 'path' && spec.directory) return 'absolute directory';
  return KIND[spec.kind]!;
}

export function defaultText(spec: Param): string {
  if (spec.required) return '*required*';
  if (spec.secret) return '';
  if (typeof spec.default === 'function') return `\`${spec.defaultText}\``;
  if (spec.default === undefined) return '*unset*';
  if (spec.default === '') return '`""`';
  return `\`${String(spec.default)}\``;
}

/** The README's parameter table, generated from the one declaration (a docs test keeps it in sync). */
export function renderParamTable(agent: AnyAgent): string {
  const rows = ['| parameter | type | default | description |', '|---|---|---|---|'];
  for (const [name, spec] of Object.entries(agent.params as ParamMap)) {
    const notes = [
      spec.unique ? 'unique' : '',
      spec.reloadable ? 'reloadable' : '',
      spec.deprecated ? `deprecated${spec.deprecated.replacedWith ? `: use \`${spec.deprecated.replacedWith}\`` : ''}` : '',
    ].filter(Boolean);
    const description = `${spec.longdesc ?? spec.shortdesc}${notes.length ? ` (${notes.join(', ')})` : ''}`;
    rows.push(`| \`${name}\` | ${typeText(spec)} | ${defaultText(spec)} | ${cell(description)} |`);
  }
  return rows.join('\n');
}

export const TABLE_START = '<!-- parameters: generated from src/params.ts by `npm run docs`; do not edit -->';
export const TABLE_END = '<!-- end of parameters -->';

/** Replace the generated block of a README with the current table. */
export function withParamTable(readme: string, agent: AnyAgent): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README has no "${TABLE_START}" ... "${TABLE_END}" block`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderParamTable(agent)}\n${readme.slice(end)}`;
}
