#!/usr/bin/env bash
# Cluster scaling figures (issue 15's performance goals), printed by the
# load tool: the same load through the balancer of a 1-node cluster and of
# a 2-node one, each node (its Linkbase and LiteFS) pinned to one CPU with
# taskset. Both clusters are up at once and measured in turns, A B B A, so
# that a drift of the machine's load (it is shared) hits both alike.
#
#   deploy/bench-cluster.sh        # DURATION=10s CONCURRENCY=16 SPIKE=500 PORT=18900
#   SCENARIOS=login deploy/bench-cluster.sh   # some of: login profile spike latency
#
# Prints each run's report (Markdown, as cmd/loadtest prints it), the
# latency of a cached read through the balancer and straight to the node
# (one client, so that queueing does not hide it), and the ratios. Needs
# what deploy/local-cluster.sh needs (root, /dev/fuse) and 2 CPUs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-16}
SPIKE=${SPIKE:-500}
PORT=${PORT:-18900}
SCENARIOS=${SCENARIOS:-login profile spike latency}
# The spike's figure is the time to serve every sign-up, so the nodes queue
# them all: with load shedding on (10 s by default), both clusters would
# stop at the bound and shed the rest, which measures the bound.
export LINKBASE_HASH_MAX_WAIT=${LINKBASE_HASH_MAX_WAIT:-0}
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=bench-admin-password-1
OUT=$(mktemp -d)
export GOBIN=${GOBIN:-$(go env GOPATH)/bin} # where local-cluster.sh keeps litefs and litestream
LOADTEST="$OUT/loadtest"
(cd "$ROOT" && go build -o "$LOADTEST" ./cmd/loadtest)

port_of() { echo $((PORT + ($1 - 1) * 100)); } # cluster of N nodes: its balancer
cluster() { CLUSTER_DIR="$OUT/cluster$1" NODES=$1 PORT=$(port_of "$1") PIN_CPUS=0,1 "$ROOT/deploy/local-cluster.sh" "${@:2}"; }
cleanup() { cluster 1 down || true; cluster 2 down || true; }
trap cleanup EXIT

for n in 1 2; do
  cluster "$n" up
  cluster "$n" superuser "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
done

# load NAME URL ARGS...: one run of the load tool, its report in $OUT/NAME.md.
load() {
  local name=$1 url=$2
  shift 2
  "$LOADTEST" -target "$url" -admin-email "$ADMIN_EMAIL" -admin-password "$ADMIN_PASSWORD" -users 20 \
    -duration "$DURATION" "$@" | tee "$OUT/$name.md" || true
}

for scenario in login profile spike; do
  [[ " $SCENARIOS " == *" $scenario "* ]] || continue
  i=0
  for n in 1 2 2 1; do
    i=$((i + 1))
    load "$scenario-$n-$i" "http://127.0.0.1:$(port_of "$n")" -scenarios "$scenario" -concurrency "$CONCURRENCY" -spike "$SPIKE"
  done
done
i=0
[[ " $SCENARIOS " == *" latency "* ]] && for where in balancer direct direct balancer; do
  i=$((i + 1))
  url="http://127.0.0.1:$(port_of 1)"
  [ "$where" = direct ] && url="http://127.0.0.1:$(($(port_of 1) + 10))"
  load "latency-$where-$i" "$url" -scenarios profile -concurrency 1
done

# rate SCENARIO ENDPOINT FILE...: the mean req/s of ENDPOINT's rows.
rate() {
  local s=$1 e=$2
  shift 2
  awk -F' \\| ' -v s="| $s" -v e="\`$e\`" '$1 == s && $2 == e { split($3, a, " "); sum += a[1]; n++ } END { if (n) printf "%.1f", sum / n }' "$@" 2>/dev/null || true
}
spike() { grep -hos 'sign-ups in [0-9.]* s' "$@" | awk '{ sum += $3; n++ } END { if (n) printf "%.1f", sum / n }' || true; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

login1=$(rate login "POST /api/login" "$OUT"/login-1-*.md)
login2=$(rate login "POST /api/login" "$OUT"/login-2-*.md)
prof1=$(rate profile "GET /api/profiles/{username}" "$OUT"/profile-1-*.md)
prof2=$(rate profile "GET /api/profiles/{username}" "$OUT"/profile-2-*.md)
spike1=$(spike "$OUT"/spike-1-*.md)
spike2=$(spike "$OUT"/spike-2-*.md)
# One client: its mean latency is the inverse of its rate (the printed
# percentiles are rounded to 0.1 ms, too coarse here).
lat_lb=$(awk -v r="$(rate profile "GET /api/profiles/{username}" "$OUT"/latency-balancer-*.md)" 'BEGIN { printf "%.3f", 1000 / r }')
lat_direct=$(awk -v r="$(rate profile "GET /api/profiles/{username}" "$OUT"/latency-direct-*.md)" 'BEGIN { printf "%.3f", 1000 / r }')

echo
echo "## Cluster scaling: 2 nodes against 1, each pinned to one CPU, through haproxy (A B B A, means)"
echo
echo "| figure | 1 node | 2 nodes | ratio | goal |"
echo "| --- | ---: | ---: | ---: | --- |"
echo "| public profile reads (req/s) | $prof1 | $prof2 | $(ratio "$prof2" "$prof1") | ≥ 1.5 |"
echo "| logins (req/s) | $login1 | $login2 | $(ratio "$login2" "$login1") | ≥ 1.6 |"
echo "| $SPIKE-sign-up spike (s, lower is better) | $spike1 | $spike2 | $(ratio "$spike1" "$spike2") faster | ≥ 1.6 |"
echo
echo "Cached profile read, one client, mean: through the balancer $lat_lb ms, straight to the node $lat_direct ms:" \
  "the balancer adds $(awk -v a="$lat_lb" -v b="$lat_direct" 'BEGIN { printf "%.0f", (a / b - 1) * 100 }') % (goal ≤ 20 %)."
echo "Reports kept in $OUT"
