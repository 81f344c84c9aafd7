import type { ActionMeta, AnyAgent } from '../agent.ts';
import type { Param, ParamMap } from '../params/declare.ts';
import { defaultText } from './param-table.ts';

// ocf_ocfkit_<agent>(7), like resource-agents' generated ocf_heartbeat_*(7) pages, from the same
// declaration as the metadata: what an operator reads with `man` on a node where the agent is
// installed, without the cluster running.

/** Text for roff: backslashes escaped, no line starting a request, no markdown backticks. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/`/g, '')
    .replace(/^([.'])/gm, '\\&$1');
}

/** Paragraphs of a longdesc (blank-line separated), each as a roff paragraph. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => roff(p.replace(/\s*\n\s*/g, ' ').trim()))
    .filter(Boolean)
    .flatMap((p, i) => (i === 0 ? [p] : ['.PP', p]));
}

function typeOf(spec: Param): string {
  if (spec.kind === 'select') return `one of ${spec.options!.join(', ')}`;
  if (spec.kind === 'integer' && spec.min === 1 && spec.max === 65535) return 'port';
  if (spec.kind === 'path') return spec.directory ? 'absolute directory' : 'absolute path';
  return spec.kind;
}

function paramLine(name: string, spec: Param): string {
  const notes = [typeOf(spec), spec.required ? 'required' : spec.secret ? 'secret, no default shown' : `default ${defaultText(spec).replace(/[*`]/g, '')}`];
  if (spec.unique) notes.push('unique');
  if (spec.reloadable) notes.push('reloadable');
  if (spec.deprecated) notes.push(spec.deprecated.replacedWith ? `deprecated: use ${spec.deprecated.replacedWith}` : 'deprecated');
  return `\\fB${name}\\fR (${roff(notes.join(', '))})`;
}

function actionLine(name: string, meta: ActionMeta): string {
  const parts = [`timeout ${meta.timeout}`];
  if (meta.interval) parts.push(`interval ${meta.interval}`);
  if (meta.depth !== undefined) parts.push(`OCF_CHECK_LEVEL ${meta.depth}`);
  if (meta.role) parts.push(`role ${meta.role}`);
  if (meta.startDelay) parts.push(`start-delay ${meta.startDelay}`);
  return `\\fB${name}\\fR: ${parts.join(', ')}`;
}

/** The exit codes this agent can give, with what each means coming from it. */
function exitStatus(agent: AnyAgent): [string, string, string][] {
  const promotable = Boolean(agent.actions.promote);
  const rows: [string, string, string][] = [
    ['0', 'OCF_SUCCESS', 'the action succeeded; for monitor: running' + (promotable ? ' (unpromoted)' : '') + '.'],
    ['1', 'OCF_ERR_GENERIC', 'the action failed (the exit reason says why); Pacemaker recovers the resource on this node.'],
    ['2', 'OCF_ERR_ARGS', 'called without an action; Pacemaker will not run the resource on this node.'],
    ['3', 'OCF_ERR_UNIMPLEMENTED', `an action this agent does not have (it has: ${Object.keys(agent.actions).join(', ')}, meta\\-data, usage).`],
    ['4', 'OCF_ERR_PERM', 'a file or user the configuration names cannot be used with the permissions at hand.'],
    ['5', 'OCF_ERR_INSTALLED', 'a program the configuration needs is missing on this node (a probe answers 7 instead); Pacemaker will not run the resource here.'],
    ['6', 'OCF_ERR_CONFIGURED', 'a parameter is missing or invalid (the exit reason names it); Pacemaker stops the resource everywhere until the configuration is fixed.'],
    ['7', 'OCF_NOT_RUNNING', 'monitor only: cleanly stopped (also every probe of an unconfigured or not installed resource).'],
  ];
  if (promotable) {
    rows.push(['8', 'OCF_RUNNING_PROMOTED', 'monitor only: running as the promoted instance.']);
    rows.push(['9', 'OCF_FAILED_PROMOTED', 'monitor only: the promoted instance has failed.']);
  }
  return rows;
}

const ENVIRONMENT: [string, string][] = [
  ['OCF_RESKEY_\\fIparameter\\fR', 'Each configured parameter (see PARAMETERS); an unset one takes its default.'],
  ['OCF_RESOURCE_INSTANCE', 'The resource id; names per-instance files and log lines.'],
  ['OCF_RESKEY_CRM_meta_timeout', "The action's budget in milliseconds: the agent gives up on its own shortly before it, with an exit reason, instead of being killed by Pacemaker."],
  ['OCF_RESKEY_CRM_meta_interval', 'Unset or 0: the monitor is a probe (answers 7 for anything not running here).'],
  ['OCF_CHECK_LEVEL', 'Depth of a monitor (0 or 10 where the agent has a deeper check).'],
  ['OCF_EXIT_REASON_PREFIX', 'Prefix of the exit-reason line on standard error (default ocf\\-exit\\-reason:).'],
  ['HA_LOGFILE, PCMK_logfile', 'Log file to append log lines to.'],
  ['HA_DEBUGLOG', 'Log file for debug lines.'],
  ['HA_LOGFACILITY, PCMK_logfacility', 'Syslog facility (none: no syslog).'],
  ['HA_debug, PCMK_debug', '1 or yes: log debug lines too.'],
  ['OCF_TRACE_RA, OCF_RESKEY_trace_ra', '1: trace the action (what it does, step by step) to OCF_TRACE_FILE.'],
  ['OCF_TRACE_FILE', 'Where traces go: a path, or a file descriptor number (default 2, standard error).'],
  ['OCF_TESTER_FAIL_HAVE_BINARY', '1: behave as if every program the agent needs were missing (ocf\\-tester sets it).'],
  ['OCFKIT_CODE_CACHE', 'Directory of the V8 code cache (default /var/cache/ocfkit), or off.'],
];
/** The names ENVIRONMENT documents (a test checks the runtime really reads each). Marked pure: a bundle that renders no man page (every agent) leaves the table out. */
export const DOCUMENTED_ENVIRONMENT = /* @__PURE__ */ ENVIRONMENT.flatMap(([names]) => names.replace(/\\f[BIR]/g, '').split(', '));

/** Files the agent uses by default: every parameter whose default is an absolute path. */
function files(agent: AnyAgent): [string, string][] {
  const rows: [string, string][] = [[`/usr/lib/ocf/resource.d/ocfkit/${agent.name}`, 'The agent, as Pacemaker calls it (ocf:ocfkit:' + agent.name + ').']];
  for (const [name, spec] of Object.entries(agent.params as ParamMap)) {
    const value = typeof spec.default === 'function' ? spec.defaultText : typeof spec.default === 'string' ? spec.default : undefined;
    if (value?.startsWith('/')) rows.push([value, `${spec.shortdesc} (default of \\fB${name}\\fR).`]);
  }
  rows.push(['/var/cache/ocfkit/', "V8 code cache of the agent's compiled code, written by root, used only when owned by root and not writable by others (OCFKIT_CODE_CACHE)."]);
  return rows;
}

/**
 * The shell blocks of a README (```sh fences) that create a resource of this agent with pcs or
 * crm: the agent's own worked examples, kept in one place.
 */
export function manExamples(readme: string, agentName: string): string[] {
  const blocks = [...readme.matchAll(/^```(?:sh|bash|console)\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trimEnd());
  const type = `ocf:ocfkit:${agentName}`;
  const pcs = blocks.find((b) => /^pcs resource create /m.test(b) && b.includes(type));
  const crm = blocks.find((b) => /^crm configure/m.test(b) && b.includes(type));
  return [pcs, crm].filter((b): b is string => b !== undefined);
}

export interface ManPageOptions {
  /** The agent's README: its pcs and crm examples become EXAMPLES. */
  readme?: string;
}

/** ocf_ocfkit_<agent>(7). `date` is the page's date (SOURCE_DATE_EPOCH's, for reproducible packages). */
export function renderManPage(agent: AnyAgent, date = new Date().toISOString().slice(0, 10), options: ManPageOptions = {}): string {
  const type = `ocf:ocfkit:${agent.name}`;
  const others = Object.keys(agent.actions).filter((a) => !['start', 'stop', 'monitor'].includes(a));
  const lines = [
    `.TH OCF_OCFKIT_${agent.name.toUpperCase().replace(/-/g, '_')} 7 "${date}" "ocfkit ${agent.version}" "OCF resource agents"`,
    '.SH NAME',
    `ocf_ocfkit_${agent.name} \\- ${roff(agent.shortdesc)}`,
    '.SH SYNOPSIS',
    `\\fB/usr/lib/ocf/resource.d/ocfkit/${agent.name}\\fR start | stop | monitor | ${[...others, 'meta-data', 'usage'].map(roff).join(' | ')}`,
    '.SH DESCRIPTION',
    ...paragraphs(agent.longdesc),
    '.PP',
    `Pacemaker runs it as \\fB${type}\\fR, one process per action, parameters in OCF_RESKEY_* variables. Every failure exits with the OCF code below and an exit reason (shown by crm_mon and pcs status) that says what to fix.`,
    '.SH PARAMETERS',
  ];
  for (const [name, spec] of Object.entries(agent.params as ParamMap)) {
    lines.push('.TP', paramLine(name, spec), ...paragraphs(spec.longdesc ?? spec.shortdesc));
  }
  lines.push('.SH ACTIONS', 'Default timeouts and intervals, as the metadata advertises them (pcs and crm use them unless the operation sets its own):');
  for (const [name, spec] of Object.entries(agent.actions)) {
    if (!spec) continue;
    for (const meta of [spec, ...(spec.variants ?? [])]) lines.push('.TP', actionLine(name, meta));
  }
  lines.push('.TP', '\\fBmeta\\-data\\fR', 'Prints the metadata (OCF 1.1 when OCF_RA_VERSION_MINOR is 1 or more, else ra\\-api\\-1.dtd), as any user.');
  lines.push('.SH EXIT STATUS');
  for (const [code, name, meaning] of exitStatus(agent)) lines.push('.TP', `\\fB${code}\\fR (${name})`, meaning);
  lines.push('.SH FILES');
  for (const [path, what] of files(agent)) lines.push('.TP', `\\fI${roff(path)}\\fR`, what);
  lines.push('.SH ENVIRONMENT');
  for (const [name, what] of ENVIRONMENT) lines.push('.TP', `\\fB${name}\\fR`, what);
  lines.push('.SH EXAMPLES');
  const examples = options.readme ? manExamples(options.readme, agent.name) : [];
  for (const block of examples) lines.push('.PP', '.nf', ...block.split('\n').map(roff), '.fi');
  lines.push(
    '.PP',
    'Every parameter, as the cluster tools read it from the agent:',
    '.PP',
    '.nf',
    roff(`pcs resource describe ${type}`),
    roff(`crm ra info ${type}`),
    '.fi',
    '.SH SEE ALSO',
    '\\fBpcs\\fR(8), \\fBcrm\\fR(8), \\fBcrm_resource\\fR(8), \\fBcrm_mon\\fR(8), \\fBocf\\-tester\\fR(8), \\fBocfkit\\fR(8)',
  );
  return `${lines.join('\n')}\n`;
}
