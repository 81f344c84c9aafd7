import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkAcknowledged } from './check.ts';
import { Observer } from './observe.ts';
import { STOP_FILE, type ProbeConfig } from './protocol.ts';
import { RedisWatch } from './redis-view.ts';
import { writeUntilStopped } from './write.ts';

// The probe, bundled and run inside a lab node: `node probe.mjs MODE CONFIG-JSON`.
//   views  print every node's RedisView once (JSON)
//   watch  observe (and write, with "write") until the stop file appears; print the writer's summary
//   check  compare the acknowledged keys with what "primary" holds; print a KeyCheck

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
    case 'watch': {
      const stopFile = join(config.dir, STOP_FILE);
      let stopped = false;
      const isStopped = () => (stopped ||= existsSync(stopFile));
      const observer = new Observer(config, isStopped);
      const observing = observer.run();
      const summary = config.write ? await writeUntilStopped(config, observer.latest, isStopped) : undefined;
      await observing;
      return summary ?? {};
    }
    case 'check':
      return checkAcknowledged(config);
    default:
      throw new Error(`unknown mode ${mode ?? '(none)'}: views, watch or check`);
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
