#!/usr/bin/env bash
# A Linkbase cluster on the loopback: one Redis, one haproxy, NODES nodes of
# LiteFS + Linkbase, and Litestream backing up the primary.
#
#   CLUSTER_DIR=$(mktemp -d) NODES=3 PORT=18700 deploy/local-cluster.sh up
#   deploy/local-cluster.sh status      # JSON, one object per node
#   deploy/local-cluster.sh kill N      # SIGKILL node N (its app and LiteFS)
#   deploy/local-cluster.sh start N     # start node N again
#   deploy/local-cluster.sh promote N   # make node N the primary
#   deploy/local-cluster.sh down        # stop everything, remove mounts
#
# Beyond API.md's commands:
#   deploy/local-cluster.sh install     # only install the tools (as `up` does first)
#   deploy/local-cluster.sh superuser EMAIL PASSWORD   # create or update a superuser
#   deploy/local-cluster.sh restore N   # wipe node N, restore the latest backup into it, make it the primary
#
# CLUSTER_DIR, NODES and PORT are read by every subcommand (after `up`, the
# values it used are the defaults). PIN_CPUS=0,1 pins node N (its Linkbase
# and LiteFS) to the Nth CPU of the list with taskset, for benchmarks. The balancer listens on PORT, Redis on
# PORT+1, node N's Linkbase on PORT+10*N and its LiteFS API on PORT+10*N+1.
# Tools: Debian's fuse3, haproxy and redis-server (installed when missing,
# as root), litefs and litestream at pinned versions with `go install` into
# $GOBIN, or $CLUSTER_DIR/bin when GOBIN is unset.
set -euo pipefail

LITEFS_VERSION=v0.5.14
LITESTREAM_VERSION=v0.5.18

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY="$ROOT/deploy"

die() { echo "local-cluster: $*" >&2; exit 1; }
say() { echo "local-cluster: $*" >&2; }

# --- settings ---------------------------------------------------------------

CLUSTER_DIR=${CLUSTER_DIR:-${TMPDIR:-/tmp}/linkbase-cluster}
if [ -f "$CLUSTER_DIR/cluster.env" ]; then
  # shellcheck source=/dev/null
  saved_nodes=$(. "$CLUSTER_DIR/cluster.env"; echo "$NODES")
  saved_port=$(. "$CLUSTER_DIR/cluster.env"; echo "$PORT")
  NODES=${NODES:-$saved_nodes}
  PORT=${PORT:-$saved_port}
fi
NODES=${NODES:-3}
PORT=${PORT:-18700}
[[ "$NODES" =~ ^[1-9]$ ]] || die "NODES=$NODES: want 1 to 9"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65400 ] || die "PORT=$PORT: want 1024 to 65400"
CLUSTER_DIR=$(mkdir -p "$CLUSTER_DIR" && cd "$CLUSTER_DIR" && pwd)
TOOLS=${GOBIN:-$CLUSTER_DIR/bin}
BIN="$CLUSTER_DIR/bin/linkbase"

node_dir() { echo "$CLUSTER_DIR/node$1"; }
app_port() { echo $((PORT + 10 * $1)); }
litefs_port() { echo $((PORT + 10 * $1 + 1)); }
app_url() { echo "http://127.0.0.1:$(app_port "$1")"; }
litefs_url() { echo "http://127.0.0.1:$(litefs_port "$1")"; }
redis_port() { echo $((PORT + 1)); }

# pin_args N: the taskset command pinning node N when PIN_CPUS names CPUs
# (one word a line, for mapfile), nothing otherwise.
pin_args() {
  local cpus
  [ -n "${PIN_CPUS:-}" ] || return 0
  IFS=, read -r -a cpus <<<"$PIN_CPUS"
  printf '%s\n' taskset -c "${cpus[$((($1 - 1) % ${#cpus[@]}))]}"
}

check_node() {
  [[ "${1:-}" =~ ^[1-9]$ ]] && [ "$1" -le "$NODES" ] || die "no node '${1:-}': want 1 to $NODES"
}

primary() { cat "$CLUSTER_DIR/primary" 2>/dev/null || echo 1; }
secret() { cat "$CLUSTER_DIR/secret"; }

# --- processes --------------------------------------------------------------

pid_of() { cat "$1" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# stop_pid FILE SIGNAL: signal the process and wait up to 20 s for it
# (longer than the app's own shutdown deadline of 15 s, within which it
# writes its last buffered counts) before SIGKILL.
stop_pid() {
  local file=$1 sig=${2:-TERM} pid i
  pid=$(pid_of "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$file"
}

# spawn PIDFILE LOG CMD...: run CMD in its own session, in the background.
spawn() {
  local pidfile=$1 log=$2
  shift 2
  setsid "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# wait_for SECONDS WHAT CMD...: poll CMD until it succeeds.
wait_for() {
  local secs=$1 what=$2 i
  shift 2
  for i in $(seq $((secs * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# ports_free PORT...: nothing listens on any of them on the loopback.
ports_free() {
  local p
  for p in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 1; fi
  done
}

unmount() {
  local mnt=$1
  if grep -qs " $mnt " /proc/mounts; then
    fusermount3 -uz "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
  fi
}

# --- tools ------------------------------------------------------------------

# has_pinned TOOL MODULE VERSION: TOOL is in $TOOLS, built from MODULE@VERSION.
has_pinned() {
  [ -x "$TOOLS/$1" ] && go version -m "$TOOLS/$1" 2>/dev/null | grep -q "mod[[:space:]]*$2[[:space:]]*$3"
}

install_tools() {
  local missing=() pkg
  [ -e /dev/fuse ] || die "/dev/fuse is missing: LiteFS needs FUSE (a container needs --device /dev/fuse --cap-add SYS_ADMIN)"
  command -v fusermount3 >/dev/null || missing+=(fuse3)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
      die "missing: ${missing[*]}; install them (Debian: apt-get install -y ${missing[*]}) or run as root"
    fi
    say "installing ${missing[*]} from Debian"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
  [ "$(id -u)" = 0 ] || [ -w /dev/fuse ] || die "cannot open /dev/fuse as $(id -un): run as root"
  command -v go >/dev/null || die "missing: go (to build Linkbase, LiteFS and Litestream)"
  mkdir -p "$TOOLS"
  if ! has_pinned litefs github.com/superfly/litefs "$LITEFS_VERSION"; then
    say "installing litefs $LITEFS_VERSION into $TOOLS"
    GOBIN="$TOOLS" go install "github.com/superfly/litefs/cmd/litefs@$LITEFS_VERSION" >&2
  fi
  if ! has_pinned litestream github.com/benbjohnson/litestream "$LITESTREAM_VERSION"; then
    say "installing litestream $LITESTREAM_VERSION into $TOOLS (about 2 minutes)"
    GOBIN="$TOOLS" go install "github.com/benbjohnson/litestream/cmd/litestream@$LITESTREAM_VERSION" >&2
  fi
}

build_linkbase() {
  say "building linkbase"
  mkdir -p "$CLUSTER_DIR/bin"
  (cd "$ROOT" && CGO_ENABLED=0 go build -o "$BIN" .) >&2
}

# --- configuration files ----------------------------------------------------

# render TEMPLATE OUT NAME=VALUE...: replace each {{NAME}} in TEMPLATE.
render() {
  local template=$1 out=$2 text kv
  shift 2
  text=$(cat "$template")
  for kv in "$@"; do
    text=${text//"{{${kv%%=*}}}"/"${kv#*=}"}
  done
  printf '%s\n' "$text" >"$out"
}

render_litefs() {
  local n=$1 p dir
  p=$(primary)
  dir=$(node_dir "$n")
  local candidate=false
  [ "$n" = "$p" ] && candidate=true
  render "$DEPLOY/litefs.yml" "$dir/litefs.yml" \
    "MOUNT=$dir/mnt" "DATA=$dir/litefs" "LITEFS_ADDR=127.0.0.1:$(litefs_port "$n")" \
    "PRIMARY_HOSTNAME=127.0.0.1:$(app_port "$p")" "PRIMARY_LITEFS_URL=$(litefs_url "$p")" \
    "CANDIDATE=$candidate"
}

render_haproxy() {
  local reads="" writes="" n
  for n in $(seq "$NODES"); do
    reads+="    server node$n 127.0.0.1:$(app_port "$n") check"$'\n'
    writes+="    server node$n 127.0.0.1:$(app_port "$n") check port $(litefs_port "$n")"$'\n'
  done
  render "$DEPLOY/haproxy.cfg" "$CLUSTER_DIR/haproxy.cfg" \
    "BIND=127.0.0.1:$PORT" \
    "READ_SERVERS=${reads%$'\n'}" "PRIMARY_SERVERS=${writes%$'\n'}"
}

# Backups go to $CLUSTER_DIR/backup/<generation>: a new primary starts a new
# generation with a full snapshot, since its database is not the page-exact
# continuation of the old primary's backup. Restores read the newest one.
generation() { cat "$CLUSTER_DIR/backup/generation" 2>/dev/null || echo 1; }
backup_dir() { echo "$CLUSTER_DIR/backup/$(generation)"; }

render_litestream() {
  local dir
  dir=$(node_dir "$(primary)")
  mkdir -p "$(backup_dir)"
  render "$DEPLOY/litestream.yml" "$CLUSTER_DIR/litestream.yml" \
    "DB=$dir/mnt/data.db" "META=$dir/litestream-meta-$(generation)" "BACKUP=$(backup_dir)"
}

new_generation() {
  mkdir -p "$CLUSTER_DIR/backup"
  echo $(($(generation) + 1)) >"$CLUSTER_DIR/backup/generation.next"
  mv "$CLUSTER_DIR/backup/generation.next" "$CLUSTER_DIR/backup/generation"
}

# --- services ---------------------------------------------------------------

start_redis() {
  alive "$CLUSTER_DIR/redis.pid" && return 0
  mkdir -p "$CLUSTER_DIR/redis"
  spawn "$CLUSTER_DIR/redis.pid" "$CLUSTER_DIR/redis.log" \
    redis-server --bind 127.0.0.1 --port "$(redis_port)" --dir "$CLUSTER_DIR/redis" --save "" --appendonly no
  wait_for 10 redis bash -c "exec 3<>/dev/tcp/127.0.0.1/$(redis_port)" || die "redis did not start: see $CLUSTER_DIR/redis.log"
}

start_haproxy() {
  render_haproxy
  stop_pid "$CLUSTER_DIR/haproxy.pid"
  haproxy -c -q -f "$CLUSTER_DIR/haproxy.cfg" || die "bad haproxy configuration: $CLUSTER_DIR/haproxy.cfg"
  spawn "$CLUSTER_DIR/haproxy.pid" "$CLUSTER_DIR/haproxy.log" haproxy -db -f "$CLUSTER_DIR/haproxy.cfg"
  wait_for 10 haproxy bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || die "haproxy did not start: see $CLUSTER_DIR/haproxy.log"
}

start_litestream() {
  stop_pid "$CLUSTER_DIR/litestream.pid"
  render_litestream
  spawn "$CLUSTER_DIR/litestream.pid" "$CLUSTER_DIR/litestream.log" \
    "$TOOLS/litestream" replicate -config "$CLUSTER_DIR/litestream.yml"
}

# The settings overrides a node saves at start-up: only the primary can.
SETTINGS_ENV=(LINKBASE_APP_URL LINKBASE_APP_NAME LINKBASE_SMTP_HOST LINKBASE_SMTP_PORT
  LINKBASE_SMTP_USERNAME LINKBASE_SMTP_PASSWORD LINKBASE_SMTP_TLS LINKBASE_MAIL_FROM_ADDRESS
  LINKBASE_MAIL_FROM_NAME LINKBASE_BCRYPT_COST)

# node_env N: the environment of node N's Linkbase, as env(1) arguments.
node_env() {
  local n=$1 dir v
  dir=$(node_dir "$n")
  if [ "$n" = "$(primary)" ]; then
    echo "LINKBASE_APP_URL=${LINKBASE_APP_URL:-http://127.0.0.1:$PORT}"
  else
    for v in "${SETTINGS_ENV[@]}"; do echo "-u"; echo "$v"; done
  fi
  echo "LINKBASE_LITEFS_DIR=$dir/mnt"
  echo "LINKBASE_LITEFS_API=$(litefs_url "$n")"
  echo "LINKBASE_CLUSTER_SECRET=$(secret)"
  echo "LINKBASE_REDIS_URL=redis://127.0.0.1:$(redis_port)/0"
  echo "LINKBASE_COUNTER_FLUSH_INTERVAL=${LINKBASE_COUNTER_FLUSH_INTERVAL:-1s}"
}

litefs_ready() {
  curl -fsS "$(litefs_url "$1")/info" | grep -Eq '"isPrimary": *true|"hostname": *"[^"]+"'
}

start_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  if alive "$dir/app.pid" || alive "$dir/litefs.pid"; then
    say "node $n is running already"
    return 0
  fi
  mkdir -p "$dir/pb_data" "$dir/litefs"
  unmount "$dir/mnt"
  mkdir -p "$dir/mnt"
  render_litefs "$n"
  # A LiteFS or Linkbase just stopped may hold its port a moment longer
  # (a restore restarts every node at once).
  wait_for 15 "free ports" ports_free "$(litefs_port "$n")" "$(app_port "$n")" ||
    die "node $n's ports $(litefs_port "$n") and $(app_port "$n") are still taken"
  local pin=()
  mapfile -t pin < <(pin_args "$n")
  spawn "$dir/litefs.pid" "$dir/litefs.log" "${pin[@]}" "$TOOLS/litefs" mount -config "$dir/litefs.yml"
  wait_for 30 "LiteFS" litefs_ready "$n" || die "LiteFS of node $n did not join the cluster: see $dir/litefs.log"
  local envargs=()
  mapfile -t envargs < <(node_env "$n")
  spawn "$dir/app.pid" "$dir/app.log" "${pin[@]}" env "${envargs[@]}" \
    "$BIN" serve --dev=false --http "127.0.0.1:$(app_port "$n")" --dir "$dir/pb_data"
  wait_for 90 "Linkbase" curl -fsS "$(app_url "$n")/api/health" ||
    die "Linkbase on node $n did not become healthy: see $dir/app.log"
  say "node $n is up: $(app_url "$n") ($([ "$n" = "$(primary)" ] && echo primary || echo replica))"
}

stop_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  stop_pid "$dir/app.pid" TERM
  stop_pid "$dir/litefs.pid" TERM
  unmount "$dir/mnt"
}

kill_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  stop_pid "$dir/app.pid" KILL
  stop_pid "$dir/litefs.pid" KILL
  [ "$n" = "$(primary)" ] && stop_pid "$CLUSTER_DIR/litestream.pid" KILL
  return 0
}

position() { cat "$(node_dir "$1")/mnt/data.db-pos" 2>/dev/null | cut -d/ -f1; }

# --- subcommands ------------------------------------------------------------

cmd_up() {
  if [ -f "$CLUSTER_DIR/cluster.env" ] && alive "$CLUSTER_DIR/haproxy.pid"; then
    die "a cluster is up in $CLUSTER_DIR already (run down first)"
  fi
  install_tools
  build_linkbase
  printf 'NODES=%s\nPORT=%s\n' "$NODES" "$PORT" >"$CLUSTER_DIR/cluster.env"
  [ -f "$CLUSTER_DIR/secret" ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$CLUSTER_DIR/secret")
  [ -f "$CLUSTER_DIR/primary" ] || echo 1 >"$CLUSTER_DIR/primary"
  start_redis
  local p n
  p=$(primary)
  start_node "$p"
  start_litestream
  for n in $(seq "$NODES"); do [ "$n" = "$p" ] || start_node "$n"; done
  start_haproxy
  wait_for 15 "balancer" curl -fsS "http://127.0.0.1:$PORT/api/health" || die "the balancer does not answer: see $CLUSTER_DIR/haproxy.log"
  say "up: http://127.0.0.1:$PORT (primary: node $p); status: CLUSTER_DIR=$CLUSTER_DIR $0 status"
}

cmd_status() {
  local n dir role info pid sep="" pos
  printf '['
  for n in $(seq "$NODES"); do
    dir=$(node_dir "$n")
    role=down
    if alive "$dir/app.pid" && info=$(curl -fsS --max-time 2 "$(litefs_url "$n")/info" 2>/dev/null); then
      if grep -Eq '"isPrimary": *true' <<<"$info"; then role=primary; else role=replica; fi
    fi
    pid=$(alive "$dir/app.pid" && pid_of "$dir/app.pid" || echo null)
    pos=$(position "$n" || true)
    printf '%s{"node":%d,"role":"%s","url":"%s","pid":%s,"litefs":"%s","position":"%s"}' \
      "$sep" "$n" "$role" "$(app_url "$n")" "$pid" "$(litefs_url "$n")" "$pos"
    sep=","
  done
  printf ']\n'
}

cmd_kill() { check_node "$1"; kill_node "$1"; say "node $1 killed"; }

cmd_start() {
  check_node "$1"
  start_node "$1"
  [ "$1" = "$(primary)" ] && start_litestream
  return 0
}

# promote N: the static lease names the primary in every node's LiteFS
# configuration, so each node is rendered again and restarted, the new
# primary first. A live old primary stops taking writes first and the new
# one catches up with it before it is restarted.
cmd_promote() {
  local n=$1 old i old_alive=false
  check_node "$n"
  old=$(primary)
  [ "$n" != "$old" ] || { say "node $n is the primary already"; return 0; }
  if alive "$(node_dir "$old")/app.pid"; then
    old_alive=true
    stop_pid "$(node_dir "$old")/app.pid" TERM
    for i in $(seq 50); do
      [ "$(position "$n")" = "$(position "$old")" ] && break
      sleep 0.1
    done
  fi
  stop_pid "$CLUSTER_DIR/litestream.pid" TERM
  stop_node "$old"
  echo "$n" >"$CLUSTER_DIR/primary"
  stop_node "$n"
  start_node "$n"
  new_generation
  start_litestream
  say "node $n is the primary"
  # The others follow the new primary; a node that was down stays down
  # (start N brings it back as a replica).
  for i in $(seq "$NODES"); do
    [ "$i" = "$n" ] && continue
    if [ "$i" = "$old" ]; then
      $old_alive && start_node "$i"
    elif alive "$(node_dir "$i")/app.pid"; then
      stop_node "$i"
      start_node "$i"
    fi
  done
}

# restore N: the drill after losing the primary's disk. Node N is wiped,
# the latest backup is restored into a file, N starts as the primary with
# an empty LiteFS and the file is imported; the other nodes restart as
# replicas of it.
cmd_restore() {
  local n=$1 dir tmp i
  check_node "$n"
  dir=$(node_dir "$n")
  stop_pid "$CLUSTER_DIR/litestream.pid" TERM
  for i in $(seq "$NODES"); do stop_node "$i"; done
  rm -rf "$dir/litefs" "$dir/mnt" "$dir/pb_data" "$dir"/litestream-meta-*
  tmp="$CLUSTER_DIR/restore"
  rm -rf "$tmp" && mkdir -p "$tmp"
  "$TOOLS/litestream" restore -o "$tmp/data.db" "file://$(backup_dir)" >&2 ||
    die "litestream restore from $(backup_dir) failed"
  echo "$n" >"$CLUSTER_DIR/primary"
  mkdir -p "$dir/pb_data" "$dir/litefs" "$dir/mnt"
  render_litefs "$n"
  spawn "$dir/litefs.pid" "$dir/litefs.log" "$TOOLS/litefs" mount -config "$dir/litefs.yml"
  wait_for 30 "LiteFS" litefs_ready "$n" || die "LiteFS of node $n did not start: see $dir/litefs.log"
  "$TOOLS/litefs" import -url "$(litefs_url "$n")" -name data.db "$tmp/data.db" >&2 || die "litefs import failed"
  stop_node "$n"
  start_node "$n"
  new_generation
  start_litestream
  for i in $(seq "$NODES"); do
    [ "$i" = "$n" ] && continue
    rm -rf "$(node_dir "$i")/litefs"
    start_node "$i" || true
  done
  say "restored the backup into node $n, the primary"
}

cmd_superuser() {
  [ $# -eq 2 ] || die "usage: superuser EMAIL PASSWORD"
  local p dir envargs=()
  p=$(primary)
  dir=$(node_dir "$p")
  mapfile -t envargs < <(node_env "$p")
  env "${envargs[@]}" "$BIN" superuser upsert "$1" "$2" --dir "$dir/pb_data" >&2
}

cmd_down() {
  local n
  stop_pid "$CLUSTER_DIR/haproxy.pid" TERM
  stop_pid "$CLUSTER_DIR/litestream.pid" TERM
  for n in $(seq "$NODES"); do stop_node "$n"; done
  stop_pid "$CLUSTER_DIR/redis.pid" TERM
  say "down (data kept in $CLUSTER_DIR)"
}

case "${1:-}" in
  install) install_tools ;;
  up) cmd_up ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  start) cmd_start "${2:-}" ;;
  promote) cmd_promote "${2:-}" ;;
  restore) cmd_restore "${2:-}" ;;
  superuser) shift; cmd_superuser "$@" ;;
  down) cmd_down ;;
  *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
