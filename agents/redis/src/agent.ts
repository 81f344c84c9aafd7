import { defineAgent, nameAndVersion } from '@ocfkit/runtime';
import manifest from '../package.json' with { type: 'json' };
import { demote } from './actions/demote.ts';
import { monitor } from './actions/monitor.ts';
import { notify } from './actions/notify.ts';
import { promote } from './actions/promote.ts';
import { start } from './actions/start.ts';
import { stop } from './actions/stop.ts';
import { validateAll } from './actions/validate-all.ts';
import { params } from './params.ts';

export default defineAgent({
  ...nameAndVersion(manifest),
  shortdesc: 'Redis server, as a primitive or a promotable clone (primary/replicas)',
  longdesc:
    'Manages redis-server as a plain resource or as a promotable clone whose promoted instance is the Redis primary and whose other instances replicate from it. A drop-in replacement for ocf:heartbeat:redis (same parameters), that talks to Redis over its unix socket without redis-cli, reads passwords from redis.conf (includes and quoting as Redis reads them) or a file, supports ACL users and TLS replication, reports replicas whose link is down, refreshes promotion scores from replication state, and checks before promoting that no other replica holds more data. Promotable clones need notify=true.',
  params,
  actions: {
    start: { run: start, timeout: '120s' },
    stop: { run: stop, timeout: '120s' },
    monitor: {
      run: monitor,
      timeout: '60s',
      interval: '45s',
      depth: 0,
      variants: [
        { role: 'Promoted', timeout: '60s', interval: '20s', depth: 0 },
        { role: 'Unpromoted', timeout: '60s', interval: '60s', depth: 0 },
      ],
    },
    promote: { run: promote, timeout: '120s' },
    demote: { run: demote, timeout: '120s' },
    notify: { run: notify, timeout: '90s' },
    'validate-all': { run: validateAll, timeout: '5s' },
  },
});
