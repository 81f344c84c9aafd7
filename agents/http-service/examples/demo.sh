#!/usr/bin/env bash
# The main job, end to end on this machine: build the agents, then run http-service the way
# Pacemaker runs it (a fresh process per action, a clean environment, parameters as OCF_RESKEY_*)
# against the embedded example service, including a crash and a bad configuration.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build >/dev/null

agent=$root/dist/resource.d/ocfkit/http-service
work=$(mktemp -d /tmp/ocfkit-demo.XXXXXX)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
params=(
  "OCF_RESKEY_service_path=$root/agents/http-service/examples/hello-server.mjs"
  "OCF_RESKEY_service_args=--port $port"
  "OCF_RESKEY_probe_url=http://127.0.0.1:$port/health"
  "OCF_RESKEY_pidfile=$work/hello.pid"
  "OCF_RESKEY_log_file=$work/hello.log"
)
call() { # call ACTION [extra VAR=value...]: one action as pacemaker-execd would run it
  local action=$1; shift
  local rc=0 out
  out=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=demo \
    OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000 "${params[@]}" "$@" \
    "$agent" "$action" 2>&1) || rc=$?
  printf '  %-28s -> rc=%s %s\n' "$action${1:+ ($*)}" "$rc" "$(grep -o 'ocf-exit-reason:.*' <<<"$out" | tail -1)"
}
cleanup() { call stop >/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "ocf:ocfkit:http-service supervising $root/agents/http-service/examples/hello-server.mjs on 127.0.0.1:$port"
call validate-all
call monitor                                     # probe: not running yet -> 7
call start
echo "  service says: $(curl -s "http://127.0.0.1:$port/" 2>/dev/null || node -e "fetch('http://127.0.0.1:$port/').then(r=>r.text()).then(t=>process.stdout.write(t))")"
call monitor OCF_RESKEY_CRM_meta_interval=10000
echo "  killing the service (kill -9 $(cat "$work/hello.pid")) ..."
kill -9 "$(cat "$work/hello.pid")"; sleep 0.2
call monitor OCF_RESKEY_CRM_meta_interval=10000   # -> 7: Pacemaker would now recover it
call start
call monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_probe_url=http://127.0.0.1:$port/nope OCF_RESKEY_expect_status=200
call validate-all OCF_RESKEY_probe_url=ftp://example/
call stop
call monitor
echo "done: every line above is one agent process, exactly as Pacemaker would call it"
