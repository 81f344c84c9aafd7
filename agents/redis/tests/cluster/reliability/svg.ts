import type { ProbeEvent, RedisView } from '../probe/protocol.ts';
import { managerOf } from '../redis-lab.ts';
import { twoMasters } from '../timeline.ts';
import type { RunRecord } from './record.ts';

// A run's timeline as plain SVG, written here (no dependency): per node, what Redis said (primary,
// replica and of whom, link down, no answer) and what the manager said (crm_mon's role, or whether
// the Sentinels named it); the writes acknowledged per 250 ms; the periods when two servers
// answered role:master; the fault and its end. Time runs from the fault, in seconds.

const WIDTH = 960;
const LEFT = 150;
const RIGHT = 20;
const PLOT = WIDTH - LEFT - RIGHT;
const LANE = 14;
const MANAGER_LANE = 7;
const NODE_GAP = 6;
const WRITES_LANE = 26;
const BUCKET_MS = 250;
const BEFORE_MS = 2000;

const COLOR = {
  master: '#1b7837',
  linked: '#a6dba0',
  linkDown: '#fdb863',
  unreachable: '#bdbdbd',
  promoted: '#2166ac',
  unpromoted: '#92c5de',
  failed: '#d6604d',
  partly: '#6baed6',
  writes: '#555555',
  twoMasters: '#e41a1c',
} as const;

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Segment {
  readonly from: number;
  readonly to: number;
  readonly color: string;
  readonly label?: string;
  readonly title: string;
}

/** Consecutive states as segments from `start` to `end` (a state before `start` is cut at it). */
function segments<S>(changes: ReadonlyArray<{ t: number; state: S }>, start: number, end: number, paint: (s: S) => Omit<Segment, 'from' | 'to'> | undefined): Segment[] {
  const out: Segment[] = [];
  changes.forEach((c, i) => {
    const from = Math.max(c.t, start);
    const to = Math.min(changes[i + 1]?.t ?? end, end);
    const look = paint(c.state);
    if (!look || to <= from) return;
    const prev = out.at(-1);
    // a change the picture does not show (a replica count) continues the segment
    if (prev && prev.to === from && prev.color === look.color && prev.label === look.label) out[out.length - 1] = { ...prev, to };
    else out.push({ from, to, ...look });
  });
  return out;
}

function redisLook(view: RedisView, nameOf: (host: string | undefined) => string): Omit<Segment, 'from' | 'to'> {
  if (!view.reachable) return { color: COLOR.unreachable, title: 'no answer' };
  if (view.role === 'master') return { color: COLOR.master, label: 'primary', title: `primary, ${view.replicas ?? 0} replica(s) connected` };
  const of = nameOf(view.masterHost);
  return view.link === 'up'
    ? { color: COLOR.linked, label: `← ${of}`, title: `replica of ${of}, link up` }
    : { color: COLOR.linkDown, label: `⇠ ${of}`, title: `replica of ${of}, link down` };
}

function crmLook(role: string | undefined): Omit<Segment, 'from' | 'to'> | undefined {
  if (role === undefined) return undefined;
  if (role.includes('failed')) return { color: COLOR.failed, title: `crm_mon: ${role}` };
  return { color: role.startsWith('Promoted') ? COLOR.promoted : COLOR.unpromoted, title: `crm_mon: ${role}` };
}

export interface TimelineOptions {
  /** The panel's heading. */
  readonly title: string;
  /** Where the time axis ends (epoch ms); the record's last observation otherwise. */
  readonly end?: number;
}

/** One run's panel: a <g> of the given height, to be stacked by `timelineSvg`. */
function panel(record: RunRecord, options: TimelineOptions): { body: string; height: number } {
  const r = record.result!;
  const t0 = r.faultAt;
  const events = [...record.events].sort((a, b) => a.t - b.t);
  const last = Math.max(events.at(-1)?.t ?? t0, record.acks.at(-1) ?? t0, r.endedAt ?? t0);
  const start = t0 - BEFORE_MS;
  const end = options.end ?? last + 500;
  const x = (t: number) => LEFT + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * PLOT;
  const nodes = [...new Set(events.filter((e) => e.kind === 'redis').map((e) => (e as { node: string }).node))].sort();
  const hosts = new Map<string, string>();
  nodes.forEach((n) => hosts.set(`198.18.0.${n.replace(/\D/g, '')}`, n));
  const nameOf = (host: string | undefined) => (host === undefined ? '?' : (hosts.get(host) ?? host));
  const sentinel = managerOf(record.agent) === 'sentinel';
  const parts: string[] = [];
  let y = 32;
  parts.push(`<text x="4" y="14" class="h">${esc(options.title)}</text>`);

  const drawSegments = (list: Segment[], top: number, height: number, labels: boolean) => {
    for (const s of list) {
      const w = x(s.to) - x(s.from);
      parts.push(`<rect x="${x(s.from).toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${height}" fill="${s.color}"><title>${esc(s.title)}</title></rect>`);
      const ink = s.color === COLOR.master ? 'l' : 'ld';
      if (labels && s.label && w > 7 * s.label.length) parts.push(`<text x="${(x(s.from) + 3).toFixed(1)}" y="${top + height - 3}" class="${ink}">${esc(s.label)}</text>`);
    }
  };

  const laneTop = y;
  for (const node of nodes) {
    const views = events.filter((e): e is Extract<ProbeEvent, { kind: 'redis' }> => e.kind === 'redis' && e.node === node).map((e) => ({ t: e.t, state: e.view }));
    parts.push(`<text x="${LEFT - 6}" y="${y + LANE - 3}" class="n">${esc(node)} Redis</text>`);
    drawSegments(segments(views, start, end, (v) => redisLook(v, nameOf)), y, LANE, true);
    y += LANE + 1;
    let manager: Segment[];
    if (sentinel) {
      const address = [...hosts].find(([, n]) => n === node)?.[0];
      const named = events.filter((e): e is Extract<ProbeEvent, { kind: 'sentinel' }> => e.kind === 'sentinel').map((e) => ({ t: e.t, state: e.masters }));
      manager = segments(named, start, end, (masters) => {
        const answers = Object.values(masters).filter((m) => m !== null);
        const naming = answers.filter((m) => m.split(':')[0] === address).length;
        if (naming === 0) return undefined;
        return { color: naming === answers.length ? COLOR.promoted : COLOR.partly, title: `named the master by ${naming} of ${answers.length} answering Sentinel(s)` };
      });
    } else {
      const roles = events.filter((e): e is Extract<ProbeEvent, { kind: 'crm' }> => e.kind === 'crm').map((e) => ({ t: e.t, state: e.roles[node] }));
      manager = segments(roles, start, end, crmLook);
    }
    parts.push(`<text x="${LEFT - 6}" y="${y + MANAGER_LANE - 0.5}" class="m">${sentinel ? 'Sentinels' : 'crm_mon'}</text>`);
    drawSegments(manager, y, MANAGER_LANE, false);
    y += MANAGER_LANE + NODE_GAP;
  }
  const laneBottom = y - NODE_GAP;

  // acknowledged writes per bucket
  const buckets = new Map<number, number>();
  for (const at of record.acks) {
    if (at < start || at > end) continue;
    const b = Math.floor((at - start) / BUCKET_MS);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const most = Math.max(1, ...buckets.values());
  parts.push(`<text x="${LEFT - 6}" y="${y + WRITES_LANE - 8}" class="n">writes acked</text>`);
  parts.push(`<line x1="${LEFT}" y1="${y + WRITES_LANE}" x2="${LEFT + PLOT}" y2="${y + WRITES_LANE}" class="a"/>`);
  for (const [b, n] of buckets) {
    const from = start + b * BUCKET_MS;
    const h = (n / most) * WRITES_LANE;
    parts.push(`<rect x="${x(from).toFixed(1)}" y="${(y + WRITES_LANE - h).toFixed(1)}" width="${Math.max(0.5, x(from + BUCKET_MS) - x(from) - 0.3).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOR.writes}"/>`);
  }
  y += WRITES_LANE + 4;

  // two masters visible
  for (const [a, b] of twoMasters(record.events, start, end).periods) {
    parts.push(`<rect x="${x(a).toFixed(1)}" y="${laneTop - 2}" width="${Math.max(1, x(b) - x(a)).toFixed(1)}" height="${laneBottom - laneTop + 4}" fill="${COLOR.twoMasters}" fill-opacity="0.18" stroke="${COLOR.twoMasters}" stroke-width="1"><title>two servers answer role:master: ${((b - a) / 1000).toFixed(1)} s</title></rect>`);
  }

  // fault and end of fault
  const marker = (t: number, label: string, color: string) => {
    parts.push(`<line x1="${x(t).toFixed(1)}" y1="${laneTop - 6}" x2="${x(t).toFixed(1)}" y2="${y}" stroke="${color}" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${(x(t) + 3).toFixed(1)}" y="${laneTop - 7}" class="k" fill="${color}">${esc(label)}</text>`);
  };
  marker(t0, 'fault', '#b2182b');
  if (r.endedAt !== undefined) marker(r.endedAt, 'fault ends', '#2166ac');

  // time axis, seconds from the fault
  const span = (end - start) / 1000;
  const step = span > 60 ? 10 : span > 24 ? 5 : 2;
  parts.push(`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT}" y2="${y}" class="a"/>`);
  for (let s = Math.ceil(-BEFORE_MS / 1000 / step) * step; t0 + s * 1000 <= end; s += step) {
    const at = x(t0 + s * 1000);
    parts.push(`<line x1="${at.toFixed(1)}" y1="${y}" x2="${at.toFixed(1)}" y2="${y + 4}" class="a"/><text x="${at.toFixed(1)}" y="${y + 14}" class="t">${s} s</text>`);
  }
  y += 22;
  return { body: parts.join('\n'), height: y };
}

const LEGEND: ReadonlyArray<readonly [string, string]> = [
  [COLOR.master, 'Redis answers role:master'],
  [COLOR.linked, 'replica, link up (← its primary)'],
  [COLOR.linkDown, 'replica, link down'],
  [COLOR.unreachable, 'no answer'],
  [COLOR.promoted, 'Promoted in crm_mon / named by every Sentinel'],
  [COLOR.unpromoted, 'Unpromoted in crm_mon'],
  [COLOR.failed, 'failed in crm_mon'],
  [COLOR.partly, 'named by some Sentinels'],
];

/** The panels of several runs (one scenario, each agent) stacked in one SVG document, with a legend. */
export function timelineSvg(panels: ReadonlyArray<{ record: RunRecord; title: string }>): string {
  const out: string[] = [];
  let y = 4;
  for (const p of panels) {
    const { body, height } = panel(p.record, { title: p.title });
    out.push(`<g transform="translate(0 ${y})">\n${body}\n</g>`);
    y += height + 10;
  }
  const legend: string[] = [];
  LEGEND.forEach(([color, text], i) => {
    const lx = 10 + (i % 3) * 310;
    const ly = y + Math.floor(i / 3) * 16;
    legend.push(`<rect x="${lx}" y="${ly}" width="12" height="10" fill="${color}"/><text x="${lx + 16}" y="${ly + 9}" class="g">${esc(text)}</text>`);
  });
  const ly = y + 48;
  legend.push(`<rect x="10" y="${ly}" width="12" height="10" fill="${COLOR.twoMasters}" fill-opacity="0.18" stroke="${COLOR.twoMasters}"/><text x="26" y="${ly + 9}" class="g">two servers answer role:master at once</text>`);
  legend.push(`<rect x="320" y="${ly}" width="12" height="10" fill="${COLOR.writes}"/><text x="336" y="${ly + 9}" class="g">writes acknowledged (WAIT 1) per ${BUCKET_MS} ms</text>`);
  y = ly + 18;
  const style =
    'text{font-family:sans-serif}.h{font-size:13px;font-weight:bold}.n{font-size:11px;text-anchor:end}.m{font-size:8px;text-anchor:end;fill:#555}' +
    '.l{font-size:9px;fill:#fff}.ld{font-size:9px;fill:#222}.t{font-size:10px;text-anchor:middle}.k{font-size:10px}.g{font-size:10px}.a{stroke:#333;stroke-width:1}';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}">\n` +
    `<style>${style}</style>\n<rect width="100%" height="100%" fill="#fff"/>\n${out.join('\n')}\n${legend.join('\n')}\n</svg>\n`
  );
}
