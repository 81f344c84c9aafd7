#!/usr/bin/env bash
# Everything a fresh Debian 12 (or Ubuntu 24.04) machine needs to build, test and demo ocfkit:
# the cluster stack and services the tests run for real, then the npm workspace from the lockfile.
# Idempotent: packages already installed are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pacemaker corosync crmsh pcs resource-agents redis-server libxml2-utils iproute2 hyperfine time util-linux procps openssl rpm curl lintian rpmlint debootstrap nginx lighttpd apache2 nftables python3-redis binutils memcached redis-sentinel)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -q
  # Where an init system runs, Debian's postinst scripts start nginx, lighttpd and apache2: all
  # three want port 80, and a start that fails can fail the install. The tests run their own
  # instances on their own ports, so no package may start a service during this install
  # (policy-rc.d: honoured by invoke-rc.d and deb-systemd-invoke). An existing one is left alone.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    trap '$sudo rm -f "$guard"' EXIT
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null
    $sudo chmod 755 "$guard"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  if [ -n "$guard" ]; then
    $sudo rm -f "$guard"
    trap - EXIT
  fi
fi
# pacemaker-remoted, for the cluster lab's Pacemaker Remote nodes: Debian's pacemaker-remote
# conflicts with pacemaker (installing it removes pacemaker), so it is unpacked beside it, never
# installed. The lab looks for it there (tools/cluster-lab/lib/common.sh).
remoted_dir=/var/cache/ocfkit/pacemaker-remote
if [ ! -x "$remoted_dir/usr/sbin/pacemaker-remoted" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  fetch=$(mktemp -d)
  chmod 755 "$fetch"   # apt's _apt user downloads into it
  version=$(dpkg-query -W -f='${Version}' pacemaker)
  (cd "$fetch" && { apt-get download -q "pacemaker-remote=$version" || { $sudo apt-get update -q && apt-get download -q "pacemaker-remote=$version"; }; })
  $sudo mkdir -p "$remoted_dir"
  $sudo dpkg-deb -x "$fetch"/pacemaker-remote_*.deb "$remoted_dir"
  rm -rf "$fetch"
fi
# A system user listed in one supplementary group: the runtime's tests of starting a service as a
# user with its groups (setpriv, NSS initgroups) need one, and a fresh machine has none. No
# password, no home, no shell.
if ! getent passwd ocfkit-member >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  getent group ocfkit-members >/dev/null || $sudo groupadd --system ocfkit-members
  $sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --groups ocfkit-members ocfkit-member
fi
# Debian's packages start services where systemd runs; on a machine without it nothing starts,
# and where it does we want no stray redis-server on the default port during tests.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl stop redis-server 2>/dev/null || true
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: building and testing needs Node 20 or newer (vitest 4); the built agents run on Node 18.19+" >&2
  exit 1
fi
npm ci --no-audit --no-fund
