# shellcheck shell=bash
# Starting and stopping corosync and pacemakerd in a node. There is no systemd here: the daemons
# run in the background, each started through exec-ing launchers (setsid, nsenter, env) so that
# $! is the daemon itself and its PID can be recorded and checked later.

# Starts "$@" in node N as daemon NAME with a clean environment: pacemaker-execd hands its whole
# environment to every agent, so nothing of the caller's shell (HOME, PWD, NODE_EXTRA_CA_CERTS,
# which costs every Node.js agent ~70 ms) may reach the daemons.
launch_daemon() { # node name command...
  local n=$1 name=$2 out
  shift 2
  out=$(node_dir "$n")/var-log/$name.out
  # 9>&-: the daemons must not inherit the lab lock.
  setsid nsenter --net="$(node_netns_file "$n")" --mount="$(mnt_file "$n")" --uts="$(uts_file "$n")" -- \
    env -i PATH="$DAEMON_PATH" LANG=C.UTF-8 \
    PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none \
    "$@" </dev/null >>"$out" 2>&1 9>&- &
  record_pid "$n" "$name" "$!"
}

start_corosync() { launch_daemon "$1" corosync corosync -f; }
# pacemakerd 2.1 stays in the foreground whatever its options.
start_pacemaker() { launch_daemon "$1" pacemakerd pacemakerd; }
# A Pacemaker Remote node runs only pacemaker-remoted (no corosync, no pacemakerd): the cluster
# reaches it on port 3121 through its ocf:pacemaker:remote connection resource.
start_remoted() { launch_daemon "$1" pacemaker-remoted "$(remoted_bin)"; }

# Waits until pacemaker-remoted in remote node R listens: a connection attempt made before that
# fails the connection resource's start, and a failed start keeps the node offline for good.
wait_remoted() { # remote seconds
  local r=$1 deadline
  deadline=$(awk -v t="$EPOCHREALTIME" -v s="$2" 'BEGIN { printf "%.3f", t + s }')
  until [[ -n $(in_node "$r" ss -Hltn "sport = :$REMOTE_PORT" 2>/dev/null) ]]; do
    [[ -n $(recorded_alive "$r" pacemaker-remoted) ]] ||
      die "$r: pacemaker-remoted exited; see $(node_dir "$r")/var-log/pacemaker/pacemaker.log"
    awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t < d) }' ||
      die "$r: pacemaker-remoted does not listen on port $REMOTE_PORT after $2 s"
    sleep 0.05
  done
}

# Waits until corosync in node N answers on its IPC socket; pacemakerd gives up if it cannot
# reach corosync when it starts.
wait_corosync() { # node seconds
  local n=$1 deadline
  deadline=$(awk -v t="$EPOCHREALTIME" -v s="$2" 'BEGIN { printf "%.3f", t + s }')
  until in_node "$n" corosync-cfgtool -s >/dev/null 2>&1; do
    [[ -n $(recorded_alive "$n" corosync) ]] ||
      die "node$n: corosync exited; see $(node_dir "$n")/var-log/corosync/corosync.log"
    awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t < d) }' ||
      die "node$n: corosync did not answer within $2 s"
    sleep 0.05
  done
}

# crm_mon's view from node N as "DC online-node..." (DC "-" while none is elected).
cluster_view() { # node
  local xml
  xml=$(in_node "$1" timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || { printf -- '-'; return 0; }
  awk '
    function attr(name) { return match($0, name "=\"[^\"]*\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) : "" }
    /<current_dc / && /present="true"/ { dc = attr("name") }
    /<node / && /online="true"/ { online = online " " attr("name") }
    END { printf "%s%s", (dc == "" ? "-" : dc), online }' <<<"$xml"
}

# Waits until node N's crm_mon shows every node in WANT online and an elected DC; prints the DC.
wait_online() { # node "want..." seconds
  local n=$1 want=$2 seconds=$3 deadline dc online w missing
  deadline=$(awk -v t="$EPOCHREALTIME" -v s="$seconds" 'BEGIN { printf "%.3f", t + s }')
  while :; do
    read -r dc online <<<"$(cluster_view "$n")"
    missing=""
    for w in $want; do [[ " $online " == *" $w "* ]] || missing+=" $w"; done
    if [[ -z $missing && $dc != - ]]; then
      printf '%s' "$dc"
      return 0
    fi
    [[ -n $(recorded_alive "$n" pacemakerd) ]] ||
      die "node$n: pacemakerd exited; see $(node_dir "$n")/var-log/pacemaker/pacemaker.log"
    awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t < d) }' ||
      die "node$n: after $seconds s: not online:${missing}; DC: ${dc/#-/none elected}"
    sleep 0.25
  done
}

# Waits until node N's crm_mon no longer shows NAME online (a remote node whose connection stops).
wait_offline() { # node name seconds
  local n=$1 name=$2 deadline dc online
  deadline=$(awk -v t="$EPOCHREALTIME" -v s="$3" 'BEGIN { printf "%.3f", t + s }')
  while :; do
    read -r dc online <<<"$(cluster_view "$n")"
    [[ $dc == - || " $online " == *" $name "* ]] || return 0
    awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t < d) }' ||
      die "node$n: after $3 s: $name still online (DC: ${dc/#-/none elected})"
    sleep 0.25
  done
}

# Asks every live pacemakerd to stop (it stops the resources, then its children) and stops each
# node's corosync as soon as that node's pacemakerd is gone, as systemd's unit ordering would. Not
# after all of them: the DC confirms a peer's shutdown only when the peer leaves the corosync
# membership, so waiting for every pacemakerd before stopping any corosync deadlocks the DC.
# pacemaker-remoted last, once no pacemakerd is left: the cluster stops the resources of remote
# nodes through their connections while it shuts down.
# Returns 1 when something did not stop within SECONDS (the caller kills what is left).
stop_daemons() { # seconds
  local deadline node name pid alive
  local -A stopping=()
  deadline=$(awk -v t="$EPOCHREALTIME" -v s="$1" 'BEGIN { printf "%.3f", t + s }')
  recorded_alive "" pacemakerd | awk '{ print $3 }' | signal_pids TERM
  while alive=$(recorded_alive) && [[ -n $alive ]]; do
    while read -r node name pid; do
      [[ -z ${stopping[$pid]:-} ]] || continue
      if [[ $name == pacemaker-remoted ]]; then
        [[ $alive != *" pacemakerd "* ]] || continue
      else
        [[ $name == corosync && $alive != *"$node pacemakerd "* ]] || continue
      fi
      kill -TERM "$pid" 2>/dev/null || true
      stopping[$pid]=1
    done <<<"$alive"
    awk -v t="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(t < d) }' || return 1
    sleep 0.1
  done
}
