# shellcheck shell=bash
# Names, paths and small helpers shared by every subcommand. Sourcing this file changes nothing on
# the system: it only defines where a lab lives.

# shellcheck disable=SC2034 # used by the other lib files
readonly MAX_NODES=5
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
mnt_file() { printf '%s/node%s.mnt' "$NSDIR" "$1"; }
uts_file() { printf '%s/node%s.uts' "$NSDIR" "$1"; }
node_dir() { printf '%s/nodes/node%s' "$STATE" "$1"; }
node_addr() { printf '%s.%s' "$SUBNET" "$1"; }

# Node count written by `up`; a half-built lab without it is treated as the largest possible lab.
lab_size() {
  local n
  if [[ -r $STATE/size ]] && read -r n <"$STATE/size" && [[ $n =~ ^[1-5]$ ]]; then
    printf '%s' "$n"
  else
    printf '%s' "$MAX_NODES"
  fi
}

# Accepts "2" or "node2"; prints the number.
parse_node() {
  local n=${1#node} size
  size=$(lab_size)
  if ! [[ $n =~ ^[1-9]$ ]] || ((n > size)); then
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
  nsenter --net="$(netns_file "node$n")" --mount="$(mnt_file "$n")" --uts="$(uts_file "$n")" -- "$@"
}

# Runs CMD in node N's mount and UTS namespaces only (used while the node is being assembled).
in_node_fs() {
  local n=$1
  shift
  nsenter --mount="$(mnt_file "$n")" --uts="$(uts_file "$n")" -- "$@"
}
