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

function peakRssKb(argv, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    // GNU time prints the peak RSS as the last line of stderr, after whatever the command wrote there
    const r = execaSync('/usr/bin/time', ['-f', '%M', ...argv], { stdout: 'ignore', reject: false });
    const kb = Number(r.stderr.trim().split('\n').pop());
    if (Number.isFinite(kb)) samples.push(kb);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * commands: [{ name, argv }]. Returns [{ name, cpuMs, wallMs, rssMb }] (CPU = mean user+system,
 * wall = median). hyperfine runs one command's runs in a row, so on a shared machine a change of
 * load between two commands shows up as a ratio: the runs are split into rounds (one hyperfine
 * call each, every command in turn) so that load drift hits all commands alike.
 */
export function measure(commands, { runs = 30, warmup = 3, rssRuns = 5, rounds = Math.min(5, runs) } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-bench-'));
  try {
    const per = commands.map(() => ({ cpu: 0, n: 0, times: [], exitCodes: new Set() }));
    for (let round = 0; round < rounds; round++) {
      const n = Math.floor(runs / rounds) + (round < runs % rounds ? 1 : 0);
      const out = join(dir, `h${round}.json`);
      const args = ['-N', '-i', '--warmup', String(round === 0 ? warmup : 1), '--runs', String(n), '--export-json', out, '--style', 'none'];
      for (const c of commands) args.push('-n', c.name, c.argv.map(quote).join(' '));
      const r = execaSync('hyperfine', args, { stdin: 'ignore', stdout: 'ignore', reject: false });
      if (r.exitCode !== 0) throw new Error(`hyperfine failed: ${r.stderr || r.shortMessage}`);
      JSON.parse(readFileSync(out, 'utf8')).results.forEach((result, i) => {
        per[i].cpu += (result.user + result.system) * n;
        per[i].n += n;
        per[i].times.push(...result.times);
        for (const code of result.exit_codes) per[i].exitCodes.add(code);
      });
    }
    return commands.map((c, i) => {
      const times = per[i].times.sort((a, b) => a - b);
      return {
        name: c.name,
        cpuMs: (per[i].cpu / per[i].n) * 1000,
        wallMs: times[Math.floor(times.length / 2)] * 1000,
        rssMb: peakRssKb(c.argv, rssRuns) / 1024,
        exitCodes: [...per[i].exitCodes],
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A table with ratios to `base` (by name), and the checks against budgets. */
export function report(title, rows, { base, budgets = [] } = {}) {
  const ref = rows.find((r) => r.name === base);
  const lines = [`### ${title}`, '', '| command | CPU ms | ratio | wall ms | peak RSS MB | exit |', '|---|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    const ratio = ref ? (r.cpuMs / ref.cpuMs).toFixed(2) : '';
    lines.push(`| ${r.name} | ${r.cpuMs.toFixed(1)} | ${ratio}× | ${r.wallMs.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${r.exitCodes.join(',')} |`);
  }
  const verdicts = [];
  for (const b of budgets) {
    const row = rows.find((r) => r.name === b.name);
    const against = rows.find((r) => r.name === b.against);
    if (!row || !against) continue;
    const ratio = row.cpuMs / against.cpuMs;
    const ok = ratio <= b.maxRatio && (b.maxRssMb === undefined || row.rssMb <= b.maxRssMb);
    verdicts.push({ ok, text: `${ok ? 'PASS' : 'FAIL'} ${b.name}: CPU ${ratio.toFixed(2)}× ${b.against} (budget ${b.maxRatio}×)${b.maxRssMb ? `, peak RSS ${row.rssMb.toFixed(1)} MB (budget ${b.maxRssMb} MB)` : ''}` });
  }
  if (verdicts.length) lines.push('', ...verdicts.map((v) => `- ${v.text}`));
  return { text: lines.join('\n'), ok: verdicts.every((v) => v.ok) };
}
