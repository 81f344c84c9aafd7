import type { ParamMap } from './declare.ts';
import { envName } from './parse.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The secrets the parameters declare, read from the raw OCF_RESKEY_* values: before parsing, so
 * that a value that fails to parse is masked in the reason that quotes it. Deprecated names are
 * declared parameters too, and read under their own names.
 */
export function* declaredSecrets(params: ParamMap, env: Env): Generator<string> {
  for (const [name, spec] of Object.entries(params)) {
    if (!spec.secret && !spec.secretParts) continue;
    const raw = env[envName(name)];
    if (raw === undefined || raw.trim() === '') continue;
    let parts: readonly string[] | undefined;
    try {
      parts = spec.secret ? undefined : spec.secretParts!(raw);
    } catch {
      parts = undefined; // an extractor that cannot read the value: all of it stays hidden
    }
    if (parts === undefined) yield raw;
    else yield* parts;
  }
}
