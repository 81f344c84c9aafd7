import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Pacemaker's command-line tools, where no cluster runs: crm_attribute, attrd_updater and
// crm_node as shell scripts on PATH that keep attributes in files and record every call. The
// agent hands its tools only PATH, so the store's location is written into the scripts.
//
// Store: <dir>/attrs/<node>/<name> (node attributes, promotion scores as master-<rsc>),
//        <dir>/private/<node>/<name> (attrd_updater -p), <dir>/props/<name> (crm_config),
//        <dir>/calls (one call per line: tool and arguments separated by \x1f).

const CRM_ATTRIBUTE = `#!/bin/bash
store=@STORE@
printf '%s' crm_attribute >> "$store/calls"; for a in "$@"; do printf '\\x1f%s' "$a" >> "$store/calls"; done; printf '\\n' >> "$store/calls"
node= name= value= op= type= quiet=
while [ $# -gt 0 ]; do
  case "$1" in
    --promotion=*) name="master-\${1#--promotion=}" ;;
    -p|--promotion) name="master-$OCF_RESOURCE_INSTANCE" ;;
    -N|--node) node="$2"; shift ;;
    -n|--name) name="$2"; shift ;;
    --name=*) name="\${1#--name=}" ;;
    -v|--update) op=set; value="$2"; shift ;;
    -D|--delete) op=delete ;;
    -G|--query) op=query ;;
    -q|--quiet) quiet=1 ;;
    -t|--type) type="$2"; shift ;;
    -s|--set-name|-l|--lifetime) shift ;;
  esac
  shift
done
if [ -n "$node" ]; then file="$store/attrs/$node/$name"; else file="$store/props/$name"; fi
case "$op" in
  set) mkdir -p "$(dirname "$file")"; printf '%s' "$value" > "$file" ;;
  delete) rm -f "$file" ;;
  query)
    if [ -f "$file" ]; then
      if [ -n "$quiet" ]; then cat "$file"; echo; else echo "scope=status  name=$name value=$(cat "$file")"; fi
    else
      echo "Error performing operation: No such device or address" >&2; exit 105
    fi ;;
esac
`;

const ATTRD_UPDATER = `#!/bin/bash
store=@STORE@
printf '%s' attrd_updater >> "$store/calls"; for a in "$@"; do printf '\\x1f%s' "$a" >> "$store/calls"; done; printf '\\n' >> "$store/calls"
node=@NODE@ name= value= op= all=
while [ $# -gt 0 ]; do
  case "$1" in
    -N|--node) node="$2"; shift ;;
    -n|--name) name="$2"; shift ;;
    -U|--update) op=set; value="$2"; shift ;;
    -D|--delete) op=delete ;;
    -Q|--query) op=query ;;
    -A|--all) all=1 ;;
    -p|--private) ;;
  esac
  shift
done
case "$op" in
  set) mkdir -p "$store/private/$node"; printf '%s' "$value" > "$store/private/$node/$name" ;;
  delete) mkdir -p "$store/private/$node"; printf '' > "$store/private/$node/$name" ;;
  query)
    for dir in "$store"/private/*/; do
      [ -d "$dir" ] || continue
      host=$(basename "$dir")
      [ -n "$all" ] || [ "$host" = "$node" ] || continue
      [ -f "$dir$name" ] && echo "name=\\"$name\\" host=\\"$host\\" value=\\"$(cat "$dir$name")\\""
    done ;;
esac
exit 0
`;

const CRM_NODE = `#!/bin/bash
store=@STORE@
printf '%s' crm_node >> "$store/calls"; for a in "$@"; do printf '\\x1f%s' "$a" >> "$store/calls"; done; printf '\\n' >> "$store/calls"
[ "$1" = "-n" ] && echo @NODE@
`;

export interface FakeCluster {
  /** Directory with the fake tools: put it first on PATH. */
  readonly bin: string;
  readonly dir: string;
  /** PATH with the fakes first. */
  readonly path: string;
  /** Every call so far: [tool, ...args]. */
  calls(): string[][];
  clearCalls(): void;
  /** A node attribute (the promotion score of resource r is `master-r`). */
  attribute(node: string, name: string): string | undefined;
  score(node: string, resource: string): number | undefined;
  setScore(node: string, resource: string, score: number): void;
  privateAttribute(node: string, name: string): string | undefined;
  setPrivateAttribute(node: string, name: string, value: string): void;
  property(name: string): string | undefined;
  setProperty(name: string, value: string): void;
  remove(): void;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A fake cluster in `dir` (created); `localNode` is what crm_node -n says. */
export function makeFakeCluster(dir: string, localNode = 'node1'): FakeCluster {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, text] of [
    ['crm_attribute', CRM_ATTRIBUTE],
    ['attrd_updater', ATTRD_UPDATER],
    ['crm_node', CRM_NODE],
  ] as const) {
    writeFileSync(join(bin, name), text.replaceAll('@STORE@', JSON.stringify(dir)).replaceAll('@NODE@', localNode));
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, 'calls'), '');
  const file = (...parts: string[]) => join(dir, ...parts);
  const write = (path: string, value: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, value);
  };
  return {
    bin,
    dir,
    path: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    calls: () =>
      (read(file('calls')) ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\x1f')),
    clearCalls: () => writeFileSync(file('calls'), ''),
    attribute: (node, name) => read(file('attrs', node, name)),
    score: (node, resource) => {
      const value = read(file('attrs', node, `master-${resource}`));
      return value === undefined ? undefined : Number(value);
    },
    setScore: (node, resource, score) => write(file('attrs', node, `master-${resource}`), String(score)),
    privateAttribute: (node, name) => read(file('private', node, name)),
    setPrivateAttribute: (node, name, value) => write(file('private', node, name), value),
    property: (name) => read(file('props', name)),
    setProperty: (name, value) => write(file('props', name), value),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Nodes with a score for `resource`. */
export function scoredNodes(cluster: FakeCluster, resource: string): string[] {
  const attrs = join(cluster.dir, 'attrs');
  if (!existsSync(attrs)) return [];
  return readdirSync(attrs).filter((node) => cluster.score(node, resource) !== undefined).sort();
}
