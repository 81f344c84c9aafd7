import { defineAgent, nameAndVersion } from '@ocfkit/runtime';
import manifest from '../package.json' with { type: 'json' };
import { monitor } from './actions/monitor.ts';
import { start } from './actions/start.ts';
import { stop } from './actions/stop.ts';
import { validateAll } from './actions/validate-all.ts';
import { params } from './params.ts';

export default defineAgent({
  ...nameAndVersion(manifest),
  shortdesc: 'TFS NameServer, checked through its heartbeat',
  longdesc:
    'Runs a TFS (Taobao File System) NameServer next to its VIP. start launches <basedir>/bin/nameserver as the configured user, waits until it answers the NameServer heartbeat as initialised, then sends the switch (the heartbeat with the switch flag, as "ha_monitor -s 1" does) so that the NameServer holding the VIP takes the master role; if it already runs, start only switches. monitor checks that the pid is still the NameServer and that it answers the heartbeat. stop sends SIGTERM, waits stop_timeout, then SIGKILL, and removes the pidfile the NameServer leaves behind. The agent speaks the heartbeat protocol itself; an external ha_monitor-compatible tool is used only when montool is set. Deploy it in a group after an IPaddr2 VIP.',
  params,
  actions: {
    start: { run: start, timeout: '90s' },
    stop: { run: stop, timeout: '180s' },
    monitor: { run: monitor, timeout: '20s', interval: '5s', depth: 0 },
    'validate-all': { run: validateAll, timeout: '5s' },
  },
});
