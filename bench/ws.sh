#!/usr/bin/env bash
# Loopback WebSocket benchmark: echo round trips through HAProxy and through harp-server to the same echo server,
# then 10,000 idle sockets held through harp-server with its resident memory.
#
#   ./harp bench ws
#   DURATION=30 CONNECTIONS=100 IDLE=10000 ./harp bench ws
#
# The echo server and the load generator are small Node.js programs (ws-echo.js, ws-load.js) on the npm package
# `ws`, installed here on first use. The load runs on CPU 0, the servers on CPU 1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
duration="${DURATION:-20}"
connections="${CONNECTIONS:-50}"
idle="${IDLE:-10000}"
# ws-load.js reads IDLE itself: only the idle run gets it.
unset IDLE
jar="$root/harp-server/target/harp-server.jar"
java_bin="${JAVA_HOME:?run through ./harp bench ws}/bin/java"

. "$here/common.sh"
install_missing haproxy:haproxy node:nodejs npm:npm
if [ ! -d "$here/node_modules/ws" ]; then
  (cd "$here" && npm install --no-save --silent ws@8 >/dev/null)
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# harp-server holds two descriptors per tunnel (client and ExApp); stay under this machine's open-file limit.
max_idle=$(( ($(ulimit -n) - 1000) / 2 ))
if [ "$idle" -gt "$max_idle" ]; then
  echo "open-file limit $(ulimit -n): holding $max_idle idle sockets instead of $idle" >&2
  idle=$max_idle
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo_port=18090 haproxy_port=18091 harp_port=18092 mgmt_port=18093

write_haproxy_cfg "$work/haproxy.cfg" "$haproxy_port" "$echo_port"
write_harp_yaml "$work/harp.yaml" "$harp_port" "$mgmt_port" "$echo_port"

taskset -c "$server_cpu" node "$here/ws-echo.js" "$echo_port" & pids+=($!)
taskset -c "$server_cpu" haproxy -q -f "$work/haproxy.cfg" & pids+=($!)
taskset -c "$server_cpu" "$java_bin" ${HARP_JAVA_OPTS:-} -jar "$jar" --config "$work/harp.yaml" >"$work/harp.log" 2>&1 & pids+=($!)
harp_pid=$!
wait_port "$echo_port"; wait_port "$haproxy_port"; wait_port "$harp_port"

export AUTH="Basic $(printf 'alice:alice' | base64)"
results="$here/results"
mkdir -p "$results"
out="$results/ws-$(date -u +%Y%m%dT%H%M%SZ).md"

{
  echo "# WebSocket benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$connections sockets, 64-byte messages, each waiting for its echo, ${duration}s after a 5s warm-up;"
  echo "load on CPU $load_cpu, servers on CPU $server_cpu; $("$java_bin" -version 2>&1 | head -n 1); $(haproxy -v | head -n 1); node $(node --version)"
  echo
  echo "| Path | Round trips/s | p50 | p99 | vs HAProxy |"
  echo "|---|---:|---:|---:|---:|"
} | tee "$out"

haproxy_rps=""
row() {
  local name="$1" url="$2"
  read -r rps p50 p99 < <(taskset -c "$load_cpu" node "$here/ws-load.js" "$url" "$connections" "$duration" 5)
  [ "$name" = "HAProxy" ] && haproxy_rps="$rps"
  local ratio="-"
  [ -n "$haproxy_rps" ] && ratio=$(awk -v a="$rps" -v b="$haproxy_rps" 'BEGIN {printf "%.2fx", a / b}')
  echo "| $name | $rps | ${p50} ms | ${p99} ms | $ratio |" | tee -a "$out"
}

row "echo server alone" "ws://127.0.0.1:$echo_port/"
row "HAProxy" "ws://127.0.0.1:$haproxy_port/exapps/bench/ws"
row "harp-server (USER route)" "ws://127.0.0.1:$harp_port/exapps/bench/ws"

rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$harp_pid/status")
IDLE="$idle" HOLD_MS=8000 taskset -c "$load_cpu" node "$here/ws-load.js" "ws://127.0.0.1:$harp_port/exapps/bench/ws" 0 0 >"$work/idle.out" &
idle_pid=$!
sleep 1
peak=0
while kill -0 "$idle_pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$harp_pid/status")
  [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.5
done
wait "$idle_pid" || { echo "idle sockets failed: $(cat "$work/idle.out")" >&2; exit 1; }
{
  echo
  echo "$(cat "$work/idle.out") idle sockets through harp-server: RSS $((rss_before / 1024)) MiB before, $((peak / 1024)) MiB while held"
} | tee -a "$out"
echo "written to ${out#$root/}"
