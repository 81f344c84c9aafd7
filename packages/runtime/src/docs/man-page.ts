import type { AnyAgent } from '../agent.ts';
import type { ParamMap } from '../params/declare.ts';
import { defaultText } from './param-table.ts';

function roff(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/`/g, '');
}

/** ocf_ocfkit_<agent>(7), like resource-agents' generated man pages, from the same declaration. */
export function renderManPage(agent: AnyAgent, date = new Date().toISOString().slice(0, 10)): string {
  const lines = [
    `.TH OCF_OCFKIT_${agent.name.toUpperCase().replace(/-/g, '_')} 7 "${date}" "ocfkit ${agent.version}" "OCF resource agents"`,
    '.SH NAME',
    `ocf_ocfkit_${agent.name} \\- ${roff(agent.shortdesc)}`,
    '.SH SYNOPSIS',
    `\\fB${agent.name}\\fR [start | stop | monitor | ${Object.keys(agent.actions).filter((a) => !['start', 'stop', 'monitor'].includes(a)).join(' | ')} | meta-data]`,
    '.SH DESCRIPTION',
    roff(agent.longdesc),
    '.SH PARAMETERS',
  ];
  for (const [name, spec] of Object.entries(agent.params as ParamMap)) {
    lines.push('.TP', `\\fB${name}\\fR (${spec.kind}, ${roff(defaultText(spec).replace(/[*`]/g, ''))})`, roff(spec.longdesc ?? spec.shortdesc));
  }
  lines.push('.SH SUPPORTED ACTIONS');
  for (const [name, spec] of Object.entries(agent.actions)) {
    if (!spec) continue;
    lines.push('.TP', `\\fB${name}\\fR`, `timeout ${spec.timeout}${spec.interval ? `, interval ${spec.interval}` : ''}`);
  }
  lines.push('.SH EXAMPLE', `pcs resource create example ocf:ocfkit:${agent.name} ...`, '.SH SEE ALSO', 'pcs(8), crm(8), crm_mon(8), ocf-tester(8)');
  return `${lines.join('\n')}\n`;
}
