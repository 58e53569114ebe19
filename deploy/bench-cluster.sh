#!/usr/bin/env bash
# Cluster scaling figures (issue 15's performance goals), printed by the
# load tool: the same load through the balancer against 1 node, then 2,
# each node (its Linkbase and LiteFS) pinned to one CPU with taskset.
#
#   deploy/bench-cluster.sh                 # DURATION=10s CONCURRENCY=16 SPIKE=500 PORT=18900
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
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=bench-admin-password-1
OUT=$(mktemp -d)
export GOBIN=${GOBIN:-$(go env GOPATH)/bin} # where local-cluster.sh keeps litefs and litestream
LOADTEST="$OUT/loadtest"
(cd "$ROOT" && go build -o "$LOADTEST" ./cmd/loadtest)

# field SCENARIO ENDPOINT COLUMN FILE: a column of the report's table row
# (3 = req/s, 4 = p50), the unit dropped.
field() {
  awk -F' \\| ' -v s="| $1" -v e="\`$2\`" -v c="$3" '$1 == s && $2 == e { split($c, a, " "); print a[1]; exit }' "$4"
}

for nodes in 1 2; do
  dir="$OUT/cluster$nodes"
  export CLUSTER_DIR=$dir NODES=$nodes PORT PIN_CPUS=0,1
  "$ROOT/deploy/local-cluster.sh" up
  "$ROOT/deploy/local-cluster.sh" superuser "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
  common=(-admin-email "$ADMIN_EMAIL" -admin-password "$ADMIN_PASSWORD" -users 20)
  "$LOADTEST" -target "http://127.0.0.1:$PORT" "${common[@]}" -scenarios login,profile,spike \
    -duration "$DURATION" -concurrency "$CONCURRENCY" -spike "$SPIKE" | tee "$OUT/load$nodes.md" || true
  if [ "$nodes" = 1 ]; then
    "$LOADTEST" -target "http://127.0.0.1:$PORT" "${common[@]}" -scenarios profile -duration "$DURATION" -concurrency 1 | tee "$OUT/latency-balancer.md" || true
    "$LOADTEST" -target "http://127.0.0.1:$((PORT + 10))" "${common[@]}" -scenarios profile -duration "$DURATION" -concurrency 1 | tee "$OUT/latency-direct.md" || true
  fi
  "$ROOT/deploy/local-cluster.sh" down
  unset CLUSTER_DIR NODES
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
login1=$(field login "POST /api/login" 3 "$OUT/load1.md")
login2=$(field login "POST /api/login" 3 "$OUT/load2.md")
prof1=$(field profile "GET /api/profiles/{username}" 3 "$OUT/load1.md")
prof2=$(field profile "GET /api/profiles/{username}" 3 "$OUT/load2.md")
spike1=$(grep -o 'sign-ups in [0-9.]* s' "$OUT/load1.md" | awk '{print $3}')
spike2=$(grep -o 'sign-ups in [0-9.]* s' "$OUT/load2.md" | awk '{print $3}')
# One client: its mean latency is the inverse of its rate (the printed
# percentiles are rounded to 0.1 ms, too coarse here).
lat_lb=$(awk -v r="$(field profile "GET /api/profiles/{username}" 3 "$OUT/latency-balancer.md")" 'BEGIN { printf "%.3f", 1000 / r }')
lat_direct=$(awk -v r="$(field profile "GET /api/profiles/{username}" 3 "$OUT/latency-direct.md")" 'BEGIN { printf "%.3f", 1000 / r }')

echo
echo "## Cluster scaling: 2 nodes against 1, each pinned to one CPU, through haproxy"
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
