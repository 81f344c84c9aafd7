# shellcheck shell=bash
# The files every node starts from: corosync.conf, /etc/hosts, and a seeded CIB.

write_corosync_conf() { # nodes file
  local size=$1 n
  {
    cat <<CONF
# Written by cluster-lab for lab "$LAB" ($size node(s)).
totem {
    version: 2
    cluster_name: ocfkit-$LAB
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: 1000
}

nodelist {
CONF
    for ((n = 1; n <= size; n++)); do
      printf '    node {\n        ring0_addr: %s\n        name: node%s\n        nodeid: %s\n    }\n' "$(node_addr "$n")" "$n" "$n"
    done
    printf '}\n\nquorum {\n    provider: corosync_votequorum\n'
    # two_node: a 2-node cluster keeps quorum when one node is lost (wait_for_all at first start).
    if ((size == 2)); then printf '    two_node: 1\n'; fi
    cat <<'CONF'
}

logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
    fileline: off
}
CONF
  } >"$2"
}

# Node names must resolve to node addresses (services such as Redis replicate to node names).
write_hosts() { # nodes file [remotes]
  local size=$1 remotes=${3:-0} n
  {
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
    for ((n = 1; n <= size; n++)); do printf '%s\tnode%s\n' "$(node_addr "$n")" "$n"; done
    for ((n = 1; n <= remotes; n++)); do printf '%s\tremote%s\n' "$(node_addr "remote$n")" "$n"; done
    printf '%s\thub\n' "$HUB_ADDR"
  } >"$2"
}

# The CIB every node starts with, written before the first start so the cluster never runs a
# moment with defaults that do not fit a one-machine lab.
write_seed_cib() { # nodes file [remotes]
  local size=$1 file=$2 remotes=${3:-0} policy=ignore n
  if ((size >= 3)); then policy=stop; fi   # 1-2 nodes: losing quorum must not stop everything
  cibadmin --empty >"$file"
  local -a props=(
    stonith-enabled=false     # no fencing device here; without this nothing starts
    "no-quorum-policy=$policy"
    dc-deadtime=2s            # default 20 s: a fresh cluster would wait 20 s before electing a DC
    load-threshold=0%         # every node reads the same load average; don't throttle actions
  )
  local prop
  for prop in "${props[@]}"; do
    CIB_file=$file crm_attribute --type crm_config --name "${prop%%=*}" --update "${prop#*=}" >/dev/null
  done
  # Each remote node's connection, as `pcs cluster node add-remote` would make it (pcs needs
  # pcsd for that): the cluster connects to remoteK's pacemaker-remoted from one of the full
  # nodes and checks the connection every 5 s.
  for ((n = 1; n <= remotes; n++)); do
    CIB_file=$file cibadmin --create -o resources --xml-text "$(remote_primitive "remote$n")" >/dev/null
  done
}

remote_primitive() { # remote
  cat <<XML
<primitive class="ocf" provider="pacemaker" type="remote" id="$1">
  <instance_attributes id="$1-instance_attributes">
    <nvpair id="$1-instance_attributes-server" name="server" value="$(node_addr "$1")"/>
    <nvpair id="$1-instance_attributes-port" name="port" value="$REMOTE_PORT"/>
  </instance_attributes>
  <operations>
    <op id="$1-monitor-interval-5s" name="monitor" interval="5s" timeout="15s"/>
  </operations>
</primitive>
XML
}

# The lab's own Pacemaker Remote key: /etc/pacemaker/authkey in every node, full or remote (the
# cluster and pacemaker-remoted authenticate each other with it). The host's is never used.
write_authkey() { # dir
  make_dir "$1" 0750 root haclient
  head -c 4096 /dev/urandom >"$1/authkey"
  chown hacluster:haclient "$1/authkey" 2>/dev/null || true
  chmod 0640 "$1/authkey"
}

install_node_config() { # node nodes cib-file [remotes]
  local d
  d=$(node_dir "$1")
  write_corosync_conf "$2" "$d/etc-corosync/corosync.conf"
  write_hosts "$2" "$d/hosts" "${4:-0}"
  install -m 0600 -o hacluster -g haclient "$3" "$d/var-lib-pacemaker/cib/cib.xml"
}

# A remote node needs no corosync.conf and no CIB (pacemaker-remoted keeps none): only the names.
install_remote_config() { # remote nodes remotes
  write_hosts "$2" "$(node_dir "$1")/hosts" "$3"
}
