#!/usr/bin/env bash
# Loopback HTTP benchmark: the same upstream (nginx answering "hello") reached directly, through HAProxy (the data
# plane of HaRP, without its per-request agent round trip) and through harp-server (PUBLIC and USER routes).
#
#   ./harp bench                     # defaults: 20s per run, 50 connections
#   DURATION=60s CONNECTIONS=100 ./harp bench
#
# wrk runs on CPU 0, the servers on CPU 1 (taskset), so load generator and proxy do not compete for a core.
# Results go to bench/results/http-<timestamp>.md and to the terminal.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${1:-}" = "ws" ]; then
  shift
  exec "$here/ws.sh" "$@"
fi
root="$(dirname "$here")"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-50}"
warmup="${WARMUP:-4s}"
warmup_runs="${WARMUP_RUNS:-5}"
jar="$root/harp-server/target/harp-server.jar"
java_bin="${JAVA_HOME:?run through ./harp bench}/bin/java"

. "$here/common.sh"
install_missing wrk:wrk haproxy:haproxy nginx:nginx-light
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$nginx_bin" -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

upstream_port=18080 haproxy_port=18081 harp_port=18082 mgmt_port=18083

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
error_log $work/nginx-error.log;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work;
  proxy_temp_path $work;
  fastcgi_temp_path $work;
  uwsgi_temp_path $work;
  scgi_temp_path $work;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$upstream_port;
    location / { default_type text/plain; return 200 "hello\n"; }
  }
}
CONF

write_haproxy_cfg "$work/haproxy.cfg" "$haproxy_port" "$upstream_port"
write_harp_yaml "$work/harp.yaml" "$harp_port" "$mgmt_port" "$upstream_port"

taskset -c "$server_cpu" "$nginx_bin" -p "$work" -c "$work/nginx.conf"
taskset -c "$server_cpu" haproxy -q -f "$work/haproxy.cfg" & pids+=($!)
taskset -c "$server_cpu" "$java_bin" ${HARP_JAVA_OPTS:-} -jar "$jar" --config "$work/harp.yaml" >"$work/harp.log" 2>&1 & pids+=($!)
harp_pid=$!
wait_port "$upstream_port"; wait_port "$haproxy_port"; wait_port "$harp_port"

basic="Authorization: Basic $(printf 'alice:alice' | base64)"
results="$here/results"
mkdir -p "$results"
out="$results/http-$(date -u +%Y%m%dT%H%M%SZ).md"

# One warm-up run, its output discarded: warm URL [wrk options].
warm() {
  local url="$1"; shift
  taskset -c "$load_cpu" wrk -t1 -c"$connections" -d"$warmup" "$@" "$url" >/dev/null
}

# Prints "requests/s p50 p99" for one wrk run.
measure() {
  local url="$1"; shift
  # Warm-up in several runs, each opening and closing its connections as clients of a server in service do: after
  # one long run the JIT has compiled connection set-up away and recompiles it inside the measured run.
  for _ in $(seq 1 "$warmup_runs"); do
    warm "$url" "$@"
  done
  taskset -c "$load_cpu" wrk -t1 -c"$connections" -d"$duration" --latency "$@" "$url" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2}
    /^ +99%/ {p99=$2}
    /Non-2xx/ {bad=$NF}
    END {if (bad) {print "ERROR non-2xx responses: " bad; exit 1}; printf "%s %s %s\n", rps, p50, p99}'
}

{
  echo "# HTTP benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "wrk -t1 -c$connections -d$duration on CPU $load_cpu; servers on CPU $server_cpu; $(nproc) CPUs;"
  echo "$("$java_bin" -version 2>&1 | head -n 1); $(haproxy -v | head -n 1); nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///')"
  echo
  echo "| Path | Requests/s | p50 | p99 | vs HAProxy |"
  echo "|---|---:|---:|---:|---:|"
} | tee "$out"

haproxy_rps=""
row() {
  local name="$1" url="$2"; shift 2
  read -r rps p50 p99 < <(measure "$url" "$@")
  [ "$name" = "HAProxy" ] && haproxy_rps="$rps"
  local ratio="-"
  [ -n "$haproxy_rps" ] && ratio=$(awk -v a="$rps" -v b="$haproxy_rps" 'BEGIN {printf "%.2fx", a / b}')
  echo "| $name | $rps | $p50 | $p99 | $ratio |" | tee -a "$out"
}

row "nginx upstream alone" "http://127.0.0.1:$upstream_port/public"
row "HAProxy" "http://127.0.0.1:$haproxy_port/exapps/bench/public"
# A proxy in service serves all its routes at once. Warm harp-server up on both before measuring either: measured
# one after the other from cold, the second route's first minute is spent recompiling code the first one shaped.
for _ in $(seq 1 "$warmup_runs"); do
  warm "http://127.0.0.1:$harp_port/exapps/bench/public"
  warm "http://127.0.0.1:$harp_port/exapps/bench/user" -H "$basic"
done
row "harp-server, PUBLIC route" "http://127.0.0.1:$harp_port/exapps/bench/public"
row "harp-server, USER route (Basic, session cache)" "http://127.0.0.1:$harp_port/exapps/bench/user" -H "$basic"

rss=$(awk '/VmHWM/ {print $2}' "/proc/$harp_pid/status")
echo | tee -a "$out"
echo "harp-server peak RSS: $((rss / 1024)) MiB" | tee -a "$out"
echo "written to ${out#$root/}"
