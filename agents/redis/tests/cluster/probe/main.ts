import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Observer } from './observe.ts';
import { STOP_FILE, type ProbeConfig } from './protocol.ts';
import { RedisWatch } from './redis-view.ts';
import { SentinelWatch } from './sentinel-view.ts';

// The probe, bundled and run inside a lab node: `node probe.mjs MODE CONFIG-JSON`.
//   views      print every node's RedisView once (JSON)
//   sentinels  print the master each node's Sentinel names (JSON)
//   watch  observe until the stop file appears; print each loop's real sampling intervals (WatchStats)
// Writing and checking the writes is writer/writer.py's job: an independent client.

async function main(mode: string | undefined, configText: string | undefined): Promise<unknown> {
  const config = JSON.parse(configText ?? '{}') as ProbeConfig;
  switch (mode) {
    case 'views': {
      const views: Record<string, unknown> = {};
      for (const node of config.nodes) {
        const watch = new RedisWatch(node, config);
        views[node.name] = await watch.view();
        watch.close();
      }
      return views;
    }
    case 'sentinels': {
      const masters: Record<string, string | null> = {};
      for (const node of config.nodes) {
        const watch = new SentinelWatch(node, config.sentinel!);
        masters[node.name] = await watch.master();
        watch.close();
      }
      return masters;
    }
    case 'watch': {
      const stopFile = join(config.dir, STOP_FILE);
      let stopped = false;
      const isStopped = () => (stopped ||= existsSync(stopFile));
      return new Observer(config, isStopped).run();
    }
    default:
      throw new Error(`unknown mode ${mode ?? '(none)'}: views, sentinels or watch`);
  }
}

main(process.argv[2], process.argv[3]).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`probe: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
