// Reads the parts of `crm_mon -1 --output-as=xml` (Pacemaker 2.1) that tests ask about: who is the
// DC, which nodes are online, where each resource instance runs and in which role.

export interface CrmMonNode {
  name: string;
  online: boolean;
  standby: boolean;
  unclean: boolean;
  isDc: boolean;
  resourcesRunning: number;
}

export interface CrmMonResource {
  /** Resource id; every instance of a clone carries the primitive's id. */
  id: string;
  /** Enclosing clone, group or bundle id, if any (innermost). */
  parent?: string;
  agent: string;
  /** Started, Stopped, Promoted, Unpromoted, ... */
  role: string;
  active: boolean;
  failed: boolean;
  /** Nodes this instance runs on (empty when stopped). */
  nodes: string[];
}

export interface CrmMonView {
  /** Name of the DC, null while none is elected. */
  dc: string | null;
  quorum: boolean;
  nodes: CrmMonNode[];
  resources: CrmMonResource[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:-]+)="([^"]*)"/g)) {
    out[m[1]!] = m[2]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
  }
  return out;
}

function section(xml: string, tag: string): string {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m?.[1] ?? '';
}

export function parseCrmMon(xml: string): CrmMonView {
  if (!xml.includes('<pacemaker-result')) throw new Error('not crm_mon XML output (no <pacemaker-result>)');
  const dcTag = /<current_dc\b([^>]*)\/?>/.exec(xml);
  const dcAttrs = attributes(dcTag?.[1] ?? '');
  const nodes = [...section(xml, 'nodes').matchAll(/<node\b([^>]*)\/?>/g)].map((m) => {
    const a = attributes(m[1]!);
    return {
      name: a.name ?? '',
      online: a.online === 'true',
      standby: a.standby === 'true',
      unclean: a.unclean === 'true',
      isDc: a.is_dc === 'true',
      resourcesRunning: Number(a.resources_running ?? 0),
    };
  });
  const resources: CrmMonResource[] = [];
  const parents: string[] = [];
  let current: CrmMonResource | undefined;
  for (const m of section(xml, 'resources').matchAll(/<(\/?)(clone|group|bundle|resource|node)\b([^>]*?)(\/?)>/g)) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (tag === 'resource') {
      if (closing) {
        current = undefined;
        continue;
      }
      const a = attributes(attrText!);
      const parent = parents.at(-1);
      current = {
        id: a.id ?? '',
        ...(parent === undefined ? {} : { parent }),
        agent: a.resource_agent ?? '',
        role: a.role ?? '',
        active: a.active === 'true',
        failed: a.failed === 'true',
        nodes: [],
      };
      resources.push(current);
      if (selfClosing) current = undefined;
    } else if (tag === 'node') {
      const name = attributes(attrText!).name;
      if (current && name) current.nodes.push(name);
    } else if (closing) {
      parents.pop();
    } else if (!selfClosing) {
      parents.push(attributes(attrText!).id ?? '');
    }
  }
  return { dc: dcAttrs.present === 'true' ? (dcAttrs.name ?? null) : null, quorum: dcAttrs.with_quorum === 'true', nodes, resources };
}

/** Nodes where resource ID runs (any role), for primitives and every clone instance alike. */
export function nodesRunning(view: CrmMonView, id: string): string[] {
  return view.resources.filter((r) => r.id === id && r.active).flatMap((r) => r.nodes);
}
