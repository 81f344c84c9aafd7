import { defineAgent, nameAndVersion } from '@ocfkit/runtime';
import manifest from '../package.json' with { type: 'json' };
import { monitor } from './actions/monitor.ts';
import { start } from './actions/start.ts';
import { stop } from './actions/stop.ts';
import { validateAll } from './actions/validate-all.ts';
import { params } from './params.ts';

export default defineAgent({
  ...nameAndVersion(manifest),
  shortdesc: 'Any program, supervised through an HTTP health check',
  longdesc:
    'Runs a program (a web service, an API, anything that answers HTTP) as a cluster resource. start launches it without a shell as the configured user and returns only once its health URL answers; monitor checks that the process is still ours and that the URL answers as expected; stop sends SIGTERM to its whole process group, waits, then SIGKILL.',
  params,
  actions: {
    start: { run: start, timeout: '60s' },
    stop: { run: stop, timeout: '30s' },
    monitor: { run: monitor, timeout: '20s', interval: '10s', depth: 0, variants: [{ timeout: '30s', interval: '60s', depth: 10 }] },
    'validate-all': { run: validateAll, timeout: '10s' },
  },
});
