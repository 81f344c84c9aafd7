import { validateDtd, validateOcf11 } from '../../metadata-schema.ts';
import { describeResult, stderrTail } from '../kit-run.ts';
import type { Check } from '../types.ts';

// meta-data is what Pacemaker, pcs and crmsh read before anything runs: any user, no parameters,
// software possibly not installed yet, and two schemas that disagree (ocf-tester's DTD, OCF 1.1).

/** ocf-tester's `nobody`. */
const NOBODY = 65534;
const DOCTYPE = '<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">';

const firstLines = (text: string, lines = 4) => text.trim().split('\n').slice(0, lines).join(' | ');

export const metadataChecks: Check[] = [
  {
    id: 'meta-data-nobody',
    title: 'meta-data runs as nobody with nothing set',
    expected: 'exit 0 and a <resource-agent> document on stdout, run as uid 65534 without OCF_RESOURCE_INSTANCE or parameters',
    skip: () => (process.getuid?.() === 0 ? undefined : 'needs root to run as nobody'),
    async run(run) {
      const result = await run.call('meta-data', { label: 'meta-data as nobody', uid: NOBODY, gid: NOBODY, params: {}, env: { OCF_RESOURCE_INSTANCE: undefined } });
      const ok = result.code === 0 && result.stdout.includes('<resource-agent');
      return { ok, observed: ok ? `${describeResult(result)}, ${result.stdout.length} bytes of XML` : `${describeResult(result)}: ${stderrTail(result) || 'no output'}` };
    },
  },
  {
    id: 'meta-data-dtd',
    title: 'meta-data is valid against ra-api-1.dtd when no OCF version is given (as ocf-tester calls it)',
    expected: `exit 0, ${DOCTYPE}, and xmllint --valid accepts it`,
    async run(run) {
      const result = await run.call('meta-data', { label: 'meta-data without an OCF version', ocf11: false, params: {} });
      if (result.code !== 0) return { ok: false, observed: describeResult(result) };
      if (!result.stdout.includes(DOCTYPE)) return { ok: false, observed: `no ${DOCTYPE} line (starts: ${firstLines(result.stdout, 2)})` };
      const check = validateDtd(result.stdout);
      return { ok: check.ok, observed: check.ok ? 'valid' : firstLines(check.output) };
    },
  },
  {
    id: 'meta-data-ocf11',
    title: 'meta-data is valid OCF 1.1 when Pacemaker asks for it (OCF_RA_VERSION_MINOR=1)',
    expected: "exit 0, and xmllint accepts it against pcs's OCF 1.1 schema (ocf-1.1.rng)",
    async run(run) {
      const result = await run.call('meta-data', { label: 'meta-data with OCF 1.1', params: {} });
      if (result.code !== 0) return { ok: false, observed: describeResult(result) };
      const check = validateOcf11(result.stdout);
      return { ok: check.ok, observed: check.ok ? `valid (version ${run.metadata.version ?? 'not given'})` : firstLines(check.output.replace(/^.*validates\n?$/m, '')) };
    },
  },
  {
    id: 'meta-data-binaries-missing',
    title: 'meta-data works with every binary "missing" (OCF_TESTER_FAIL_HAVE_BINARY=1)',
    expected: 'exit 0 and a <resource-agent> document: metadata must not depend on the software being installed',
    async run(run) {
      const result = await run.call('meta-data', { label: 'meta-data with binaries missing', params: {}, env: { OCF_TESTER_FAIL_HAVE_BINARY: '1' } });
      const ok = result.code === 0 && result.stdout.includes('<resource-agent');
      return { ok, observed: ok ? describeResult(result) : `${describeResult(result)}: ${stderrTail(result) || 'no output'}` };
    },
  },
  {
    id: 'meta-data-actions',
    title: 'meta-data advertises the mandatory actions, promote and demote only together',
    expected: '<action> lines for start, stop, monitor and meta-data; promote if and only if demote',
    async run(run) {
      const missing = ['start', 'stop', 'monitor', 'meta-data'].filter((a) => !run.advertises(a));
      const lopsided = run.advertises('promote') !== run.advertises('demote');
      const problems = [...(missing.length ? [`missing ${missing.join(', ')}`] : []), ...(lopsided ? ['promote without demote or the reverse'] : [])];
      return { ok: problems.length === 0, observed: problems.length ? problems.join('; ') : `advertises ${run.metadata.actions.join(', ')}` };
    },
  },
];
