# shellcheck shell=bash
# What a node sees: its own mount and UTS namespaces with private copies of every directory the
# cluster stack (and the services it runs) writes. The host's /etc/corosync, /var/lib/pacemaker,
# /var/log, /run ... are never written: each node gets bind mounts of directories under its
# node dir instead, set up inside the node's mount namespace only.

readonly OCF_PROVIDERS_DIR=/usr/lib/ocf/resource.d

# mkdir with mode and owner; falls back to root when the service user does not exist here.
make_dir() { # path mode user group
  local owner=$3:$4
  id -u "$3" >/dev/null 2>&1 && getent group "$4" >/dev/null 2>&1 || owner=root:root
  install -d -m "$2" -o "${owner%%:*}" -g "${owner##*:}" "$1"
}

# The node's private directories, laid out as the Debian packages lay out the real ones.
prepare_node_dirs() { # node agents-spec...
  local n=$1 d p
  shift
  d=$(node_dir "$n")
  make_dir "$d" 0755 root root
  make_dir "$d/etc-corosync" 0755 root root
  make_dir "$d/etc-corosync/uidgid.d" 0755 root root
  make_dir "$d/var-lib-corosync" 0755 root root
  make_dir "$d/var-lib-pacemaker" 0755 root root
  for p in cib pengine blackbox cores; do make_dir "$d/var-lib-pacemaker/$p" 0750 hacluster haclient; done
  make_dir "$d/var-log" 0755 root root
  make_dir "$d/var-log/corosync" 0755 root root
  make_dir "$d/var-log/pacemaker" 0770 hacluster haclient
  make_dir "$d/var-log/pacemaker/bundles" 0770 hacluster haclient
  make_dir "$d/var-log/crmsh" 0775 hacluster haclient   # crmsh crashes without it
  make_dir "$d/var-log/pcsd" 0755 root root
  make_dir "$d/var-log/redis" 2750 redis adm
  make_dir "$d/run" 0755 root root
  make_dir "$d/run/crm" 0750 hacluster haclient          # pacemaker's runtime dir
  make_dir "$d/run/resource-agents" 1755 root root       # HA_RSCTMP of resource-agents
  make_dir "$d/run/lock" 1777 root root
  make_dir "$d/run/redis" 2755 redis redis
  ln -sfn /dev/shm "$d/run/shm"
  if [[ -d /etc/redis ]]; then
    cp -a /etc/redis "$d/etc-redis"                       # each node may rewrite its redis.conf
  fi
  make_dir "$d/var-lib-redis" 0750 redis redis
  make_dir "$d/resource.d" 0755 root root
  for p in "$OCF_PROVIDERS_DIR"/*/; do
    if [[ -d $p ]]; then make_dir "$d/resource.d/$(basename "$p")" 0755 root root; fi
  done
  for p in "$@"; do make_dir "$d/resource.d/${p%%=*}" 0755 root root; done
}

# The directory holding the mount/uts namespace files must be a private mount, or the kernel
# refuses to bind-mount a mount namespace file into it.
prepare_ns_dir() {
  mkdir -p "$NSDIR"
  mountpoint -q "$NSDIR" || mount --bind "$NSDIR" "$NSDIR"
  mount --make-private "$NSDIR"
}

create_node_namespaces() { # node
  local n=$1
  touch "$(mnt_file "$n")" "$(uts_file "$n")"
  # unshare bind-mounts the new namespaces onto the files, so they outlive this command.
  unshare --mount="$(mnt_file "$n")" --uts="$(uts_file "$n")" --propagation private true
}

node_mount() { # node mount-args...
  local n=$1
  shift
  in_node_fs "$n" mount "$@"
}

# Assembles node N's view. Runs `mount` inside the node's mount namespace only.
mount_node_fs() { # node agents-spec...
  local n=$1 d p spec
  shift
  d=$(node_dir "$n")
  in_node_fs "$n" hostname "$(node_name "$n")"
  # The new mount namespace started as a copy of the host's, including the bind-mounted namespace
  # files of other nodes and labs: drop those copies so this node pins no other namespace.
  # shellcheck disable=SC2016 # the program runs inside the node
  in_node_fs "$n" sh -c 'awk '\''{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "nsfs") print $5; break } }'\'' /proc/self/mountinfo |
    sort -r | while read -r m; do umount -l "$m"; done'
  node_mount "$n" --bind "$d/etc-corosync" /etc/corosync
  node_mount "$n" --bind "$d/var-lib-corosync" /var/lib/corosync
  node_mount "$n" --bind "$d/var-lib-pacemaker" /var/lib/pacemaker
  node_mount "$n" --bind "$d/var-log" /var/log
  node_mount "$n" --bind "$d/hosts" /etc/hosts
  if [[ -d /etc/redis && -d $d/etc-redis ]]; then node_mount "$n" --bind "$d/etc-redis" /etc/redis; fi
  if [[ -d /var/lib/redis ]]; then node_mount "$n" --bind "$d/var-lib-redis" /var/lib/redis; fi
  # A lab with remote nodes: the lab's own Pacemaker Remote authkey, never the host's.
  if [[ -d $STATE/etc-pacemaker ]]; then node_mount "$n" --bind "$STATE/etc-pacemaker" /etc/pacemaker; fi
  if [[ -d $OCF_PROVIDERS_DIR ]]; then
    # A private resource.d: the host's providers plus each --agents directory as its provider.
    # Only providers present both when the node's directories were made and now: tests on the
    # host add and remove providers of their own at any time.
    for p in "$OCF_PROVIDERS_DIR"/*/; do
      p=$(basename "$p")
      [[ -d $d/resource.d/$p && -d $OCF_PROVIDERS_DIR/$p ]] || continue
      node_mount "$n" --bind "$OCF_PROVIDERS_DIR/$p" "$d/resource.d/$p" || [[ ! -d $OCF_PROVIDERS_DIR/$p ]] || return 1
    done
    for spec in "$@"; do node_mount "$n" --bind "${spec#*=}" "$d/resource.d/${spec%%=*}"; done
    node_mount "$n" --rbind "$d/resource.d" "$OCF_PROVIDERS_DIR"
  fi
  # libqb keeps its IPC ring buffers in /dev/shm/qb-*: each node needs its own.
  node_mount "$n" -t tmpfs -o mode=1777,nosuid,nodev,size=256m tmpfs /dev/shm
  node_mount "$n" --bind "$d/run" /run   # last: the node dirs themselves may live under /run
}
