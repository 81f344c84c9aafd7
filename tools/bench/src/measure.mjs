// Measures commands side by side in one run, as performance claims must be: hyperfine for CPU and
// wall time (it reads each child's rusage), GNU time for peak RSS. Every command runs with a clean
// environment: NODE_EXTRA_CA_CERTS alone adds ~70 ms to a node start on these machines.
import { execaSync } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLEAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `env -i` argv for a command: nothing of the caller's environment leaks in. */
export function clean(argv, env = {}) {
  return ['env', '-i', `PATH=${CLEAN_PATH}`, 'LC_ALL=C', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv];
}

function quote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function peakRssKb(argv, runs, prefix) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    // GNU time prints the peak RSS as the last line of stderr, after whatever the command wrote there
    const [file, ...args] = [...prefix, '/usr/bin/time', '-f', '%M', ...argv];
    const r = execaSync(file, args, { stdout: 'ignore', reject: false });
    const kb = Number(r.stderr.trim().split('\n').pop());
    if (Number.isFinite(kb)) samples.push(kb);
  }
  return median(samples);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The commands in a random order: whatever runs first or after another pays nothing systematic. */
function shuffled(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * commands: [{ name, argv }]. Returns [{ name, cpuMs, cpuRuns, wallMs, rssMb, exitCodes }]: the
 * medians of each command's runs (cpuRuns: every run's CPU ms, in round order). The runs are
 * interleaved: every round runs each command once, in a new random order (one hyperfine call), so
 * that a change of the shared machine's load hits every command alike. Medians, because a run's CPU time has a long tail on a shared machine: one run
 * descheduled or faulting in cold pages moves a mean of 30 by several percent (seen: the same
 * build's standalone monitors at 1.10-1.14x in one run of means and 1.17-1.22x in the next, while
 * medians of interleaved runs gave 1.19-1.26x both times). `root`: run hyperfine and GNU time
 * inside that directory (chroot), for commands that exist only there.
 */
export function measure(commands, { runs = 30, warmup = 3, rssRuns = 5, root } = {}) {
  const prefix = root ? ['chroot', root, 'env', '-i', `PATH=${CLEAN_PATH}`] : [];
  const dir = root ? join(root, 'tmp') : mkdtempSync(join(tmpdir(), 'ocfkit-bench-'));
  const json = join(dir, 'ocfkit-bench.json');
  try {
    const per = new Map(commands.map((c) => [c.name, { cpu: [], wall: [], exitCodes: new Set() }]));
    for (let round = 0; round < runs; round++) {
      const order = shuffled(commands);
      const [file, ...args] = [...prefix, 'hyperfine', '-N', '-i', '--warmup', String(round === 0 ? warmup : 0), '--runs', '1', '--export-json', root ? '/tmp/ocfkit-bench.json' : json, '--style', 'none'];
      for (const c of order) args.push('-n', c.name, c.argv.map(quote).join(' '));
      const r = execaSync(file, args, { stdin: 'ignore', stdout: 'ignore', reject: false });
      if (r.exitCode !== 0) throw new Error(`hyperfine failed: ${r.stderr || r.shortMessage}`);
      JSON.parse(readFileSync(json, 'utf8')).results.forEach((result, i) => {
        const m = per.get(order[i].name);
        m.cpu.push(result.user + result.system);
        m.wall.push(...result.times);
        for (const code of result.exit_codes) m.exitCodes.add(code);
      });
    }
    return commands.map((c) => {
      const m = per.get(c.name);
      const cpuMs = m.cpu.map((seconds) => seconds * 1000);
      return { name: c.name, cpuMs: median(cpuMs), cpuRuns: cpuMs, wallMs: median(m.wall) * 1000, rssMb: peakRssKb(c.argv, rssRuns, prefix) / 1024, exitCodes: [...m.exitCodes] };
    });
  } finally {
    if (root) rmSync(json, { force: true });
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How far one run's ratio of medians can be trusted: the 2.5th and 97.5th percentiles of the
 * ratio over rounds drawn again at random (a paired bootstrap: a round keeps both its runs, which
 * shared the machine's load). Undefined without per-run figures.
 */
export function ratioRange(row, against, draws = 2000) {
  const a = row.cpuRuns;
  const b = against.cpuRuns;
  if (!a || !b || a.length !== b.length || a.length < 5) return undefined;
  const ratios = [];
  for (let d = 0; d < draws; d++) {
    const picked = Array.from({ length: a.length }, () => Math.floor(Math.random() * a.length));
    ratios.push(median(picked.map((i) => a[i])) / median(picked.map((i) => b[i])));
  }
  ratios.sort((x, y) => x - y);
  return [ratios[Math.floor(draws * 0.025)], ratios[Math.floor(draws * 0.975)]];
}

const rangeText = ([low, high]) => `${low.toFixed(2)}-${high.toFixed(2)}`;

/** A table with ratios to `base` (by name), and the checks against budgets. */
export function report(title, rows, { base, budgets = [] } = {}) {
  const ref = rows.find((r) => r.name === base);
  const lines = [`### ${title}`, '', '| command | CPU ms | ratio (95% range) | wall ms | peak RSS MB | exit |', '|---|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    const range = r === ref ? undefined : ratioRange(r, ref);
    const ratio = ref ? `${(r.cpuMs / ref.cpuMs).toFixed(2)}×${range ? ` (${rangeText(range)})` : ''}` : '';
    lines.push(`| ${r.name} | ${r.cpuMs.toFixed(1)} | ${ratio} | ${r.wallMs.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${r.exitCodes.join(',')} |`);
  }
  const verdicts = [];
  for (const b of budgets) {
    const row = rows.find((r) => r.name === b.name);
    const against = rows.find((r) => r.name === b.against);
    if (!row || !against) continue;
    const ratio = row.cpuMs / against.cpuMs;
    const ok = ratio <= b.maxRatio && (b.maxRssMb === undefined || row.rssMb <= b.maxRssMb);
    const range = ratioRange(row, against);
    // a budget inside the range: this run cannot tell which side of it the agent is on
    const spans = range && range[0] <= b.maxRatio && b.maxRatio <= range[1];
    const within = range ? `; 95% range ${rangeText(range)}${spans ? ', which holds the budget' : ''}` : '';
    verdicts.push({ ok, text: `${ok ? 'PASS' : 'FAIL'} ${b.name}: CPU ${ratio.toFixed(2)}× ${b.against} (budget ${b.maxRatio}×${within})${b.maxRssMb ? `, peak RSS ${row.rssMb.toFixed(1)} MB (budget ${b.maxRssMb} MB)` : ''}` });
  }
  if (verdicts.length) lines.push('', ...verdicts.map((v) => `- ${v.text}`));
  return { text: lines.join('\n'), ok: verdicts.every((v) => v.ok) };
}
