// What the checks need to know from an agent's meta-data: which actions it advertises and which
// parameters it requires. A tolerant reading (attribute order, quotes, self-closing tags): schema
// validity is a check of its own, not a precondition for running the others.

export interface ParameterFacts {
  name: string;
  required: boolean;
}

export interface MetadataFacts {
  version?: string;
  parameters: ParameterFacts[];
  actions: string[];
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) found[m[1]!] = m[2] ?? m[3] ?? '';
  return found;
}

export function parseMetadata(xml: string): MetadataFacts {
  const body = xml.replace(/<!--[\s\S]*?-->/g, '');
  const parameters = [...body.matchAll(/<parameter\b[^>]*>/g)].map((m) => attributes(m[0])).filter((a) => a.name).map((a) => ({ name: a.name!, required: a.required === '1' || a.required === 'true' }));
  const actions = [...new Set([...body.matchAll(/<action\b[^>]*>/g)].map((m) => attributes(m[0]).name).filter((n): n is string => Boolean(n)))];
  const version = /<version>\s*([^<\s]+)\s*<\/version>/.exec(body)?.[1];
  return { version, parameters, actions };
}
