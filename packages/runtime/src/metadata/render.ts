import type { ActionMeta, AnyAgent } from '../agent.ts';
import type { Param, ParamMap } from '../params/declare.ts';
import { attrs, escapeXml } from './xml.ts';

/**
 * `dtd`: what ocf-tester 4.12 validates (`xmllint --valid` against ra-api-1.dtd): DOCTYPE line, no
 * OCF 1.1 elements or attributes, `select` shown as `string`.
 * `ocf-1.1`: everything OCF 1.1 can say, for Pacemaker, pcs and crmsh (they pass MINOR=1).
 */
export type MetadataFlavour = 'dtd' | 'ocf-1.1';

/** meta-data itself must be cheap and never fail; 5 s is what resource-agents declare. */
const META_DATA_ACTION: ActionMeta = { timeout: '5s' };
const DTD_ACTIONS = new Set(['start', 'stop', 'monitor', 'promote', 'demote', 'notify', 'reload', 'migrate_to', 'migrate_from', 'meta-data', 'validate-all']);

function defaultText(spec: Param): string | undefined {
  if (spec.secret) return undefined;
  if (typeof spec.default === 'function') return spec.defaultText;
  if (spec.default === undefined) return undefined;
  if (typeof spec.default === 'boolean') return spec.default ? 'true' : 'false';
  return String(spec.default);
}

function contentType(spec: Param, flavour: MetadataFlavour): string {
  switch (spec.kind) {
    case 'duration':
      // the DTD knows "time"; OCF 1.1 has no duration type, Pacemaker reads these as strings
      return flavour === 'dtd' ? 'time' : 'string';
    case 'select':
      return flavour === 'dtd' ? 'string' : 'select';
    case 'path':
      // neither the DTD nor OCF 1.1 has a path type: the absolute check is ours
      return 'string';
    default:
      return spec.kind;
  }
}

function describe(tag: string, text: string, indent: string): string {
  return `${indent}<${tag} lang="en">${escapeXml(text.trim())}</${tag}>\n`;
}

function parameter(name: string, spec: Param, flavour: MetadataFlavour): string {
  const ocf11 = flavour === 'ocf-1.1';
  let longdesc = spec.longdesc ?? spec.shortdesc;
  if (spec.kind === 'select' && !ocf11) longdesc += ` Allowed values: ${spec.options!.join(', ')}.`;
  if (spec.deprecated && !ocf11) {
    longdesc += ` Deprecated${spec.deprecated.replacedWith ? `: use ${spec.deprecated.replacedWith}` : ''}.`;
  }
  let xml = `    <parameter${attrs({
    name,
    'unique-group': ocf11 ? spec.uniqueGroup : undefined,
    unique: spec.unique ? 1 : 0,
    required: spec.required ? 1 : 0,
    reloadable: ocf11 && spec.reloadable ? 1 : undefined,
  })}>\n`;
  xml += describe('longdesc', longdesc, '      ');
  xml += describe('shortdesc', spec.shortdesc, '      ');
  if (ocf11 && spec.deprecated) {
    xml += '      <deprecated>\n';
    if (spec.deprecated.replacedWith) xml += `        <replaced-with${attrs({ name: spec.deprecated.replacedWith })}/>\n`;
    if (spec.deprecated.desc) xml += describe('desc', spec.deprecated.desc, '        ');
    xml += '      </deprecated>\n';
  }
  const content = attrs({ type: contentType(spec, flavour), default: defaultText(spec) });
  if (ocf11 && spec.kind === 'select') {
    xml += `      <content${content}>\n`;
    for (const option of spec.options!) xml += `        <option${attrs({ value: option })}/>\n`;
    xml += '      </content>\n';
  } else {
    xml += `      <content${content}/>\n`;
  }
  return `${xml}    </parameter>\n`;
}

const LEGACY_ROLE = { Promoted: 'Master', Unpromoted: 'Slave' } as const;

function action(name: string, meta: ActionMeta, flavour: MetadataFlavour): string {
  return `    <action${attrs({
    name,
    timeout: meta.timeout,
    interval: meta.interval,
    depth: meta.depth ?? (meta.interval !== undefined ? 0 : undefined),
    // OCF 1.0 tools know only the old role names
    role: meta.role && flavour === 'dtd' ? LEGACY_ROLE[meta.role] : meta.role,
    'start-delay': meta.startDelay,
  })}/>\n`;
}

export function renderMetadata(agent: AnyAgent, flavour: MetadataFlavour): string {
  const ocf11 = flavour === 'ocf-1.1';
  let xml = '<?xml version="1.0"?>\n';
  if (!ocf11) xml += '<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">\n';
  xml += `<resource-agent${attrs({ name: agent.name, version: agent.version })}>\n`;
  xml += `  <version>${ocf11 ? '1.1' : '1.0'}</version>\n`;
  xml += describe('longdesc', agent.longdesc, '  ');
  xml += describe('shortdesc', agent.shortdesc, '  ');
  xml += '  <parameters>\n';
  for (const [name, spec] of Object.entries(agent.params as ParamMap)) xml += parameter(name, spec, flavour);
  xml += '  </parameters>\n  <actions>\n';
  const entries: Array<[string, ActionMeta]> = [];
  for (const [name, spec] of Object.entries(agent.actions)) {
    if (!spec) continue;
    const { run: _run, variants, ...meta } = spec;
    entries.push([name, meta]);
    for (const variant of variants ?? []) entries.push([name, variant]);
  }
  entries.push(['meta-data', META_DATA_ACTION]);
  for (const [name, meta] of entries) {
    if (!ocf11 && !DTD_ACTIONS.has(name)) continue;
    xml += action(name, meta, flavour);
  }
  return `${xml}  </actions>\n</resource-agent>\n`;
}
