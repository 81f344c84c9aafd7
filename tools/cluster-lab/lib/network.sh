# shellcheck shell=bash
# The lab network: one netns per node plus a hub netns holding a bridge. Every veth pair is
# created inside the hub with its far end moved straight into the node, so the host's own
# namespace never gets an interface, an address or a route.

create_network() { # nodes [remotes]
  local size=$1 remotes=${2:-0} n hub
  hub=$(netns_name hub)
  ip netns add "$hub"
  ip -n "$hub" link set lo up
  ip -n "$hub" link add br0 type bridge
  ip -n "$hub" addr add "$HUB_ADDR/24" dev br0
  ip -n "$hub" link set br0 up
  for ((n = 1; n <= size; n++)); do
    local node
    node=$(netns_name "node$n")
    ip netns add "$node"
    ip -n "$hub" link add "vnode$n" type veth peer name eth0 netns "$node"
    ip -n "$hub" link set "vnode$n" master br0 up
    ip -n "$node" link set lo up
    ip -n "$node" addr add "$(node_addr "$n")/24" dev eth0
    ip -n "$node" link set eth0 up
  done
  for ((n = 1; n <= remotes; n++)); do
    local remote
    remote=$(netns_name "remote$n")
    ip netns add "$remote"
    ip -n "$hub" link add "vremote$n" type veth peer name eth0 netns "$remote"
    ip -n "$hub" link set "vremote$n" master br0 up
    ip -n "$remote" link set lo up
    ip -n "$remote" addr add "$(node_addr "remote$n")/24" dev eth0
    ip -n "$remote" link set eth0 up
  done
}

# Every netns name lab LAB may use, space-separated with spaces around (exact names).
lab_netns_names() {
  local n names
  names=" $(netns_name hub) "
  for ((n = 1; n <= MAX_NODES; n++)); do names+="$(netns_name "node$n") "; done
  for ((n = 1; n <= MAX_REMOTES; n++)); do names+="$(netns_name "remote$n") "; done
  printf '%s' "$names"
}

# Lab netns names that currently exist (exact names only).
lab_netns_present() {
  local names line
  names=$(lab_netns_names)
  { ip netns list 2>/dev/null || true; } | while read -r line _; do
    [[ $names == *" $line "* ]] && printf '%s\n' "$line"
  done
}

# Deletes the lab's netns files (the veths die with their namespaces). Processes must be gone.
delete_network() {
  local name
  for name in $(lab_netns_present); do
    ip netns delete "$name" 2>/dev/null || { umount -l "/run/netns/$name" 2>/dev/null; rm -f "/run/netns/$name"; }
  done
  # iproute2 turns /run/netns into a shared bind mount of itself on first use; once no netns is
  # left in it (ours or anyone's), take that mount away too so the host is as we found it.
  if mountpoint -q /run/netns 2>/dev/null && [[ -z $(ls -A /run/netns 2>/dev/null) ]]; then
    umount /run/netns 2>/dev/null || true
  fi
}

set_link() { # node up|down
  name_of "$1"
  ip -n "ocfkit-$LAB-$NAME_OF" link set eth0 "$2"
}

link_state() { # node -> UP / DOWN
  name_of "$1"
  ip -n "ocfkit-$LAB-$NAME_OF" -o link show eth0 2>/dev/null | awk '{ print ($3 ~ /(^|,)UP(,|>)/) ? "UP" : "DOWN" }'
}
