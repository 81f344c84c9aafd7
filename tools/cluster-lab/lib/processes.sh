# shellcheck shell=bash
# Finding and signalling the processes of a lab or of one node: by the namespaces they live in,
# and by the daemon PIDs `up` recorded (checked against their start time, so a reused PID is
# never signalled).

# Inodes of the namespace files given (one per line), for those that really are namespaces (a
# bind-mounted nsfs file): an empty placeholder file left by a half-built lab gives nothing.
# Three forks whatever the count: teardown asks this often, and forks are slow on a loaded box.
ns_inodes() { # file...
  local f
  local -a present=()
  for f in "$@"; do [[ -e $f ]] && present+=("$f"); done
  ((${#present[@]})) || return 0
  # joined by file name (no spaces: LAB and OCFKIT_LAB_ROOT are checked), so a file that vanishes
  # between the two calls cannot pair one file's type with another's inode
  {
    stat -f -L -c 'type %n %T' -- "${present[@]}" 2>/dev/null
    stat -L -c 'inode %n %i' -- "${present[@]}" 2>/dev/null
  } | awk '$1 == "type" && $3 == "nsfs" { nsfs[$2] = 1 } $1 == "inode" { inode[$2] = $3 }
      END { for (f in inode) if (f in nsfs) print inode[f] }'
}

# Namespace inodes of node N (net, mnt, uts), one per line.
node_inodes() {
  local name=node$1
  if is_remote "$1"; then name=$1; fi
  ns_inodes "/run/netns/ocfkit-$LAB-$name" "$NSDIR/$name.mnt" "$NSDIR/$name.uts"
}

# Namespace inodes of the whole lab: hub plus every node that may exist.
lab_inodes() {
  local n
  local -a files=("/run/netns/ocfkit-$LAB-hub")
  for ((n = 1; n <= MAX_NODES; n++)); do files+=("/run/netns/ocfkit-$LAB-node$n" "$NSDIR/node$n.mnt" "$NSDIR/node$n.uts"); done
  for ((n = 1; n <= MAX_REMOTES; n++)); do files+=("/run/netns/ocfkit-$LAB-remote$n" "$NSDIR/remote$n.mnt" "$NSDIR/remote$n.uts"); done
  ns_inodes "${files[@]}"
}

# PIDs of every process whose net, mnt or uts namespace is one of the inodes on stdin.
pids_in_namespaces() {
  local inodes
  inodes=$(cat)
  [[ -n $inodes ]] || return 0
  # One stat over all of /proc (a readlink per process would cost hundreds of execs).
  { stat -L -c '%n %i' /proc/[0-9]*/ns/net /proc/[0-9]*/ns/mnt /proc/[0-9]*/ns/uts 2>/dev/null || true; } |
    awk -v want="$inodes" -v self="$$" '
      BEGIN { n = split(want, w, "\n"); for (i = 1; i <= n; i++) if (w[i] != "") set[w[i]] = 1 }
      ($2 in set) { split($1, p, "/"); if (p[3] != self && !(p[3] in seen)) { seen[p[3]] = 1; print p[3] } }'
}

lab_pids() { lab_inodes | pids_in_namespaces; }
node_pids() { node_inodes "$1" | pids_in_namespaces; }

# Start time of PID in clock ticks since boot (field 22 of /proc/PID/stat), empty if gone.
start_time() {
  local stat rest
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  rest=${stat##*) }   # the command name may hold spaces and parentheses: cut after the last ")"
  local -a f
  read -ra f <<<"$rest"
  printf '%s' "${f[19]}"
}

# One-letter process state (R, S, T, Z...), empty if gone.
proc_state() {
  local stat rest
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  rest=${stat##*) }
  printf '%s' "${rest%% *}"
}

record_pid() { # node name pid
  printf '%s %s %s %s\n' "$1" "$2" "$3" "$(start_time "$3")" >>"$PIDS_FILE"
}

# Recorded daemons still alive, as "node name pid" lines; optional filters: node, name.
# shellcheck disable=SC2120 # the filters are optional
recorded_alive() {
  [[ -r $PIDS_FILE ]] || return 0
  local node name pid start
  while read -r node name pid start; do
    [[ -z ${1:-} || $node == "$1" ]] || continue
    [[ -z ${2:-} || $name == "$2" ]] || continue
    [[ -n $start && $(start_time "$pid") == "$start" ]] || continue
    [[ $(proc_state "$pid") != Z ]] || continue
    printf '%s %s %s\n' "$node" "$name" "$pid"
  done <"$PIDS_FILE"
}

recorded_pids() { recorded_alive | awk '{ print $3 }'; }

forget_node_pids() {
  [[ -f $PIDS_FILE ]] || return 0
  awk -v n="$1" '$1 != n' "$PIDS_FILE" >"$PIDS_FILE.new" && mv "$PIDS_FILE.new" "$PIDS_FILE"
}

# Sends SIGNAL to each PID given on stdin; PIDs that already exited are fine.
signal_pids() {
  local sig=$1 pid
  while read -r pid; do
    if [[ -n $pid ]]; then kill "-$sig" "$pid" 2>/dev/null || true; fi
  done
}

# Waits up to SECONDS until the command "$@" prints nothing; returns 1 on timeout.
wait_until_empty() {
  local seconds=$1 deadline
  shift
  deadline=$(awk -v t="$EPOCHREALTIME" -v s="$seconds" 'BEGIN { printf "%.3f", t + s }')
  while [[ -n $("$@") ]]; do
    awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t < d) }' || return 1
    sleep 0.1
  done
}

# TERM, then KILL after GRACE seconds, every process the command "$@" lists; 1 if some survive.
terminate_all() {
  local grace=$1
  shift
  "$@" | signal_pids CONT   # a frozen process cannot act on TERM
  "$@" | signal_pids TERM
  wait_until_empty "$grace" "$@" && return 0
  "$@" | signal_pids KILL
  wait_until_empty 5 "$@"
}
