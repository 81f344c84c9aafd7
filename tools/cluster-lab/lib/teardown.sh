# shellcheck shell=bash
# Taking a lab apart, whole or half-built: stop the daemons politely (bounded), kill whatever is
# still inside the lab's namespaces, unmount, delete the namespaces, then check that nothing is
# left. Safe to run any number of times.

# Host mount points that belong to the lab: under its state dir or its netns files.
lab_mounts() {
  local names
  names=$(lab_netns_names)
  awk -v state="$STATE" -v names="$names" '
    function unescape(s) { gsub(/\\040/, " ", s); return s }
    { m = unescape($5)
      if (m == state || index(m, state "/") == 1) print m
      else if (index(m, "/run/netns/") == 1 && index(names, " " substr(m, 12) " ") > 0) print m }' /proc/self/mountinfo
}

unmount_lab() {
  local m
  # Deepest first; lazily if busy (nothing should be, the processes are gone by now).
  lab_mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

# Prints one line per thing the lab left behind; nothing when the host is clean.
leftovers() {
  local pid name pids state
  pids=$(lab_pids)
  for pid in $pids; do printf 'process %s (%s)\n' "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null)"; done
  recorded_alive | while read -r _ name pid; do
    if [[ " $pids " == *" $pid "* ]]; then continue; fi
    state=$(proc_state "$pid")
    # gone between the two reads: it was on its way out, not left behind
    if [[ -n $state ]]; then printf 'process %s (%s, recorded, state %s)\n' "$pid" "$name" "$state"; fi
  done
  lab_netns_present | sed 's/^/netns /'
  lab_mounts | sed 's/^/mount /'
}

# With OCFKIT_LAB_KEEP_LOGS=DIR, each node's /var/log is copied to DIR/LAB/nodeN before removal.
keep_logs() {
  [[ -n ${OCFKIT_LAB_KEEP_LOGS:-} && -d $STATE/nodes ]] || return 0
  local d dest=$OCFKIT_LAB_KEEP_LOGS/$LAB
  rm -rf "$dest"
  mkdir -p "$dest"
  for d in "$STATE"/nodes/node*/ "$STATE"/nodes/remote*/; do
    if [[ -d $d/var-log ]]; then cp -a "$d/var-log" "$dest/$(basename "$d")"; fi
  done
  log "lab $LAB: node logs kept in $dest"
}

# Returns 1 (after listing them) when something could not be removed.
teardown() {
  local stop_timeout=${1:-30} left
  if [[ ! -e $STATE && -z $(lab_netns_present) && -z $(lab_mounts) ]]; then
    rm -f "$LAB_ROOT/.$LAB.lock"
    return 0
  fi
  lab_pids | signal_pids CONT   # thaw frozen nodes, or they cannot stop
  stop_daemons "$stop_timeout" || log "lab $LAB: daemons did not stop within ${stop_timeout} s; killing them"
  terminate_all 5 lab_pids || true
  # A process on its way out leaves its namespaces before it turns zombie: wait for the recorded
  # daemons themselves too.
  terminate_all 5 recorded_pids || true
  # Check for processes now, while the namespace files still name the lab's namespaces (their
  # inode numbers are handed out again as soon as a namespace is freed).
  left=$(lab_pids)
  if [[ -n $left ]]; then
    log "lab $LAB: processes survived SIGKILL, keeping the namespaces:"
    leftovers | sed 's/^/  /' >&2
    return 1
  fi
  keep_logs
  unmount_lab
  delete_network
  # A SIGKILLed daemon leaves its namespaces early in its exit and can take seconds more to be
  # gone on a loaded host (corosync unlocks and frees its locked memory last): give the recorded
  # ones time before calling them left behind.
  wait_until_empty 20 recorded_pids || true
  left=$(leftovers)
  if [[ -z $(lab_mounts) ]]; then
    rm -rf --one-file-system "$STATE"
  fi
  if [[ -n $left ]]; then
    log "lab $LAB: could not remove:"
    printf '%s\n' "$left" | sed 's/^/  /' >&2
    return 1
  fi
  rm -f "$LAB_ROOT/.$LAB.lock"   # still held by us; a lab that is gone needs no lock
}
