# Shared by run.sh and ws.sh (sourced, not run): installing tools, CPU placement, the configurations of HAProxy
# and harp-server in front of one upstream, and waiting for listeners.

# The load generator runs on CPU 0, the servers on CPU 1, so they do not compete for a core.
cpus=$(nproc)
load_cpu=0
server_cpu=$(( cpus > 1 ? 1 : 0 ))

# Installs the Debian packages named for each missing command: install_missing cmd:package ...
install_missing() {
  local need=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null || [ -x "/usr/sbin/${spec%%:*}" ] || need+=("${spec#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq "${need[@]}" >/dev/null; else sudo apt-get install -y -qq "${need[@]}" >/dev/null; fi
  fi
}

# HAProxy with one thread in front of the upstream, setting the AppAPI headers as HaRP's HAProxy does:
# write_haproxy_cfg FILE PORT UPSTREAM_PORT
write_haproxy_cfg() {
  cat > "$1" <<CONF
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 30s
  timeout client 30s
  timeout server 1800s
  timeout tunnel 1800s
  option http-keep-alive
frontend exapps
  bind 127.0.0.1:$2
  default_backend exapp
backend exapp
  http-request set-path %[path,regsub(^/exapps/bench,)]
  http-request set-header AUTHORIZATION-APP-API OmJlbmNoLXNlY3JldA==
  http-request set-header EX-APP-ID bench
  server s1 127.0.0.1:$3
CONF
}

# harp-server in dev mode with one ExApp "bench" on the upstream (PUBLIC under /public, USER elsewhere) and the
# user alice/alice: write_harp_yaml FILE PORT MANAGEMENT_PORT UPSTREAM_PORT
write_harp_yaml() {
  cat > "$1" <<CONF
harp:
  exapps-address: 127.0.0.1:$2
  management-address: 127.0.0.1:$3
  log-level: error
  blacklist-count: 0
  max-connections: 30000
  dev:
    exapps:
      - id: bench
        secret: bench-secret
        host: 127.0.0.1
        port: $4
        routes:
          - url: "^/public"
            access_level: PUBLIC
          - url: "^/"
            access_level: USER
    users:
      - name: alice
        password: alice
        access_level: USER
CONF
}

wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  exit 1
}
