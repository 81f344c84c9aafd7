# shellcheck shell=bash
# Names, paths and small helpers shared by every subcommand. Sourcing this file changes nothing on
# the system: it only defines where a lab lives.

# shellcheck disable=SC2034 # used by the other lib files
readonly MAX_NODES=5
readonly MAX_REMOTES=4              # Pacemaker Remote nodes remote1..remote4
readonly REMOTE_BASE=10             # remoteK is at $SUBNET.(10+K)
readonly REMOTE_PORT=3121           # pacemaker-remoted's default port
readonly SUBNET=198.18.0            # RFC 2544 benchmarking range: never routed anywhere real
readonly HUB_ADDR=$SUBNET.254
readonly DAEMON_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LAB_ROOT=${OCFKIT_LAB_ROOT:-/run/ocfkit-lab}

log() { printf 'cluster-lab: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
usage_error() { log "$*"; log "run 'cluster-lab help' for usage"; exit 2; }

now() { printf '%s' "$EPOCHREALTIME"; }
# Seconds since START (an EPOCHREALTIME value), one decimal.
elapsed_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# Selects the lab every other function works on. Names end up in netns names and file names.
set_lab() {
  [[ $1 =~ ^[a-z0-9][a-z0-9_-]{0,23}$ ]] ||
    usage_error "lab name '$1': expected 1-24 characters of a-z, 0-9, '-', '_' (starting with a letter or digit)"
  [[ $LAB_ROOT == /* && $LAB_ROOT != *[[:space:]]* ]] ||
    die "OCFKIT_LAB_ROOT '$LAB_ROOT': expected an absolute path without spaces"
  LAB=$1
  STATE=$LAB_ROOT/$LAB
  NSDIR=$STATE/ns
  # shellcheck disable=SC2034 # used by processes.sh
  PIDS_FILE=$STATE/pids
}

# Netns names are exact per lab ("ocfkit-LAB-hub", "ocfkit-LAB-node3"): no prefix matching, so lab
# "a" never touches lab "a-2".
netns_name() { printf 'ocfkit-%s-%s' "$LAB" "$1"; }
netns_file() { printf '/run/netns/%s' "$(netns_name "$1")"; }

# A node is named by its number (full nodes: "3" is node3, as in the pids file) or, for a
# Pacemaker Remote node, by its name ("remote1"). These print the name either way.
# name_of sets NAME_OF without forking: these run hundreds of times per up and down, and a fork
# costs tens of milliseconds on a loaded machine.
is_remote() { [[ $1 == remote* ]]; }
name_of() { if [[ $1 == remote* ]]; then NAME_OF=$1; else NAME_OF=node$1; fi; }
node_name() { name_of "$1"; printf '%s' "$NAME_OF"; }
node_netns_file() { name_of "$1"; printf '/run/netns/ocfkit-%s-%s' "$LAB" "$NAME_OF"; }
mnt_file() { name_of "$1"; printf '%s/%s.mnt' "$NSDIR" "$NAME_OF"; }
uts_file() { name_of "$1"; printf '%s/%s.uts' "$NSDIR" "$NAME_OF"; }
node_dir() { name_of "$1"; printf '%s/nodes/%s' "$STATE" "$NAME_OF"; }
node_addr() {
  if is_remote "$1"; then printf '%s.%s' "$SUBNET" "$((REMOTE_BASE + ${1#remote}))"; else printf '%s.%s' "$SUBNET" "$1"; fi
}

# Node count written by `up`; a half-built lab without it is treated as the largest possible lab.
lab_size() {
  local n
  if [[ -r $STATE/size ]] && read -r n <"$STATE/size" && [[ $n =~ ^[1-5]$ ]]; then
    printf '%s' "$n"
  else
    printf '%s' "$MAX_NODES"
  fi
}

# Remote node count written by `up` (0 for a lab without, or made before remote nodes existed);
# a half-built lab without its size file is treated as having the most.
remote_count() {
  local r
  if [[ -r $STATE/remotes ]] && read -r r <"$STATE/remotes" && [[ $r =~ ^[0-4]$ ]]; then
    printf '%s' "$r"
  elif [[ -r $STATE/size ]]; then
    printf '0'
  else
    printf '%s' "$MAX_REMOTES"
  fi
}

# Accepts "2" or "node2" (prints the number), or "remote1" for a remote node (prints the name).
parse_node() {
  local n=${1#node} size remotes
  size=$(lab_size)
  remotes=$(remote_count)
  if [[ $1 =~ ^remote([1-9])$ ]] && ((BASH_REMATCH[1] <= remotes)); then
    printf '%s' "$1"
    return 0
  fi
  if ! [[ $n =~ ^[1-9]$ ]] || ((n > size)); then
    if ((remotes > 0)); then
      usage_error "node '$1': expected 1..$size, node1..node$size or remote1..remote$remotes"
    fi
    usage_error "node '$1': expected 1..$size or node1..node$size"
  fi
  printf '%s' "$n"
}

require_root() { ((EUID == 0)) || die "must run as root (namespaces, mounts, daemons)"; }

require_tools() {
  local t missing=()
  for t in ip unshare nsenter setsid setpriv flock mount umount stat awk corosync pacemakerd crm_mon cibadmin crm_attribute corosync-cfgtool; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing commands: ${missing[*]} (install pacemaker, corosync, iproute2, util-linux)"
}

# pacemaker-remoted: $OCFKIT_LAB_REMOTED, else on PATH, else unpacked by tools/setup.sh. Debian's
# pacemaker-remote package conflicts with pacemaker (a host runs one or the other), so on a lab
# machine it is unpacked from its .deb (same version as pacemaker, same libraries), not installed.
readonly REMOTED_UNPACKED=/var/cache/ocfkit/pacemaker-remote/usr/sbin/pacemaker-remoted
remoted_bin() {
  local bin=${OCFKIT_LAB_REMOTED:-}
  [[ -n $bin ]] || bin=$(command -v pacemaker-remoted 2>/dev/null) || bin=$REMOTED_UNPACKED
  [[ -x $bin ]] || return 1
  printf '%s' "$bin"
}

require_remote_tools() {
  remoted_bin >/dev/null ||
    die "pacemaker-remoted not found (OCFKIT_LAB_REMOTED, PATH, $REMOTED_UNPACKED): run tools/setup.sh, which unpacks Debian's pacemaker-remote there (installing it would remove pacemaker)"
  command -v ss >/dev/null 2>&1 || die "missing command: ss (install iproute2)"
  [[ -d /etc/pacemaker ]] || die "/etc/pacemaker is missing (install pacemaker-common): remote nodes mount their authkey there"
}

# Serializes up/down/restart of one lab. The lock file sits beside the state dir so it outlives it.
lock_lab() {
  mkdir -p "$LAB_ROOT"
  # fd 9 holds the lock; daemons are started with 9>&- so they never inherit it.
  exec 9>"$LAB_ROOT/.$LAB.lock"
  flock -w 300 9 || die "lab $LAB: another up/down is still running (lock $LAB_ROOT/.$LAB.lock)"
}

# Runs CMD inside node N: its network, mount and UTS namespaces (`ip netns exec` is not enough: it
# makes a throw-away mount namespace per call).
in_node() {
  local n=$1
  shift
  nsenter --net="$(node_netns_file "$n")" --mount="$(mnt_file "$n")" --uts="$(uts_file "$n")" -- "$@"
}

# Runs CMD in node N's mount and UTS namespaces only (used while the node is being assembled).
in_node_fs() {
  local n=$1
  shift
  nsenter --mount="$(mnt_file "$n")" --uts="$(uts_file "$n")" -- "$@"
}
