# shellcheck shell=bash
# Fault injection. Every fault prints one line that starts with the time it acted, taken right
# before the signal or the change (ISO 8601, UTC, milliseconds), so that a test can measure from
# it: "2026-12-01T09:01:02.345Z node1: SIGKILL redis-server (pid 4242)".

# The current time as 2026-12-01T09:01:02.345Z (from bash's EPOCHREALTIME: no fork between the
# stamp and the action it dates).
stamp() {
  local s=${EPOCHREALTIME%.*} us=${EPOCHREALTIME#*.}
  printf '%s.%sZ' "$(TZ=UTC printf '%(%Y-%m-%dT%H:%M:%S)T' "$s")" "${us:0:3}"
}

# Acts, then reports: "$@" runs right after the stamp is taken; MESSAGE is printed after it.
acted() { # message command...
  local message=$1 at
  shift
  at=$(stamp)
  "$@"
  printf '%s %s\n' "$at" "$message"
}

# PIDs of node N whose command name (/proc/PID/comm) is exactly PROGRAM. Only processes inside the
# node's namespaces are candidates: the same program elsewhere on the host is never matched.
node_program_pids() { # node program
  local pid
  for pid in $(node_pids "$1"); do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] && printf '%s\n' "$pid"
  done
  return 0
}

# The recorded corosync of node N, alive ("" otherwise).
node_corosync_pid() { recorded_alive "$1" corosync | awk '{ print $3; exit }'; }

readonly NFT_TABLE=ocfkit_lab_isolate

# nftables drops in the node's own network namespace: everything in and out of eth0 (loopback
# stays), while the link itself stays up, as a failing switch port or a firewall mistake would.
nft_isolate() { # node
  in_node "$1" nft -f - <<NFT
table inet $NFT_TABLE {
  chain input { type filter hook input priority -300; policy accept; iifname "eth0" drop; }
  chain output { type filter hook output priority -300; policy accept; oifname "eth0" drop; }
}
NFT
}

nft_heal() { # node
  in_node "$1" nft delete table inet "$NFT_TABLE"
}

nft_isolated() { # node -> 0 when the drop table is in place
  in_node "$1" nft list table inet "$NFT_TABLE" >/dev/null 2>&1
}
