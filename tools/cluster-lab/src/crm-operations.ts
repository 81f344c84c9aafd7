// The failed actions and the operation history in `crm_mon -1 --output-as=xml` (Pacemaker 2.1):
// what a fault test asserts after the fact (the exit reason an operator reads, how long the
// failed action ran, which monitor ran where).

export interface CrmFailure {
  /** "web_monitor_2000", "stuck_start_0" */
  opKey: string;
  /** The resource id, from op_key. */
  resource: string;
  task: string;
  node: string;
  /** OCF exit code. */
  exitCode: number;
  exitReason: string;
  /** "complete", "Timed Out", "Error", ... (the execution status, not the agent's code) */
  status: string;
  /** How long the action ran, ms. */
  execMs: number;
  intervalMs: number;
  /** last-rc-change, epoch ms: when the action ended with this result (second resolution). */
  changedAt: number;
}

export interface CrmOperation {
  resource: string;
  node: string;
  task: string;
  intervalMs: number;
  rc: number;
  call: number;
  /** last-rc-change, epoch ms (second resolution). */
  changedAt: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:-]+)="([^"]*)"/g)) {
    out[m[1]!] = m[2]!.replace(/&(amp|lt|gt|quot|apos|#(\d+));/g, (_, e: string, code?: string) => (code ? String.fromCharCode(Number(code)) : ENTITIES[e]!));
  }
  return out;
}

/** crm_mon's timestamps: "Tue Dec  1 12:03:04 2026" (local time), "2026-12-01 12:03:04Z" or "... +01:00". */
function epoch(text: string | undefined): number {
  if (!text) return NaN;
  const iso = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ?(Z|[+-]\d\d:\d\d)$/.exec(text);
  return iso ? Date.parse(`${iso[1]}T${iso[2]}${iso[3]}`) : Date.parse(text);
}

export function crmFailures(xml: string): CrmFailure[] {
  return [...xml.matchAll(/<failure\b([^>]*?)\/?>/g)].map((m) => {
    const a = attributes(m[1]!);
    const opKey = a.op_key ?? '';
    // op_key is RESOURCE_TASK_INTERVAL, and a resource id may hold underscores itself
    const suffix = `_${a.task ?? ''}_${a.interval ?? ''}`;
    return {
      opKey,
      resource: opKey.endsWith(suffix) ? opKey.slice(0, -suffix.length) : opKey,
      task: a.task ?? '',
      node: a.node ?? '',
      exitCode: Number(a.exitcode ?? NaN),
      exitReason: a.exitreason ?? '',
      status: a.status ?? '',
      execMs: Number(a.exec ?? NaN),
      intervalMs: Number(a.interval ?? NaN),
      changedAt: epoch(a['last-rc-change']),
    };
  });
}

/** Every operation of the node history (the last of each kind per resource and node). */
export function crmOperations(xml: string): CrmOperation[] {
  const out: CrmOperation[] = [];
  for (const node of xml.matchAll(/<node name="([^"]+)">([\s\S]*?)<\/node>/g)) {
    for (const rsc of node[2]!.matchAll(/<resource_history\b([^>]*)>([\s\S]*?)<\/resource_history>/g)) {
      const resource = attributes(rsc[1]!).id ?? '';
      for (const op of rsc[2]!.matchAll(/<operation_history\b([^>]*?)\/?>/g)) {
        const a = attributes(op[1]!);
        out.push({
          resource,
          node: node[1]!,
          task: a.task ?? '',
          intervalMs: Number((a.interval ?? '0').replace(/ms$/, '')),
          rc: Number(a.rc ?? NaN),
          call: Number(a.call ?? NaN),
          changedAt: epoch(a['last-rc-change']),
        });
      }
    }
  }
  return out;
}

/** "web_monitor_2000 on node2: exit 1 (health check ...: no answer ...), complete after 1005 ms" */
export function describeFailure(f: CrmFailure): string {
  return `${f.opKey} on ${f.node}: exit ${f.exitCode}${f.exitReason ? ` (${f.exitReason})` : ''}, ${f.status} after ${f.execMs} ms`;
}
