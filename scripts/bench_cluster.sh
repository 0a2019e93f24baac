#!/usr/bin/env bash
# Fan-out across processes on Redis (issue 17), one bounded run, ratios within it: the same subscribers and publisher
# (bench/fanout_cluster.ts) against
#   ours-1      one Deno process (serve_deno.ts), in-process bus
#   ours-2      two Deno processes on one redis-server, subscribers split between them, publisher on the first
#   soketi-1    one soketi 1.6.1 process (local adapter)
#   soketi-2    two soketi processes on another redis-server (SOKETI_REDIS_PORT), split the same way
# REPS rounds, targets interleaved in each. Not in CI (timing); needs redis-server and the soketi reference server.
#   bash scripts/bench_cluster.sh [SUBS=200 DURATION=5 INFLIGHT=8 REPS=2] > results.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
SUBS=${SUBS:-200} DURATION=${DURATION:-5} INFLIGHT=${INFLIGHT:-8} REPS=${REPS:-2}
SOKETI=${SOKETI:-../shared/reference-servers/soketi/start.sh}
[ -x "$SOKETI" ] || SOKETI=/work/shared/reference-servers/soketi/start.sh
DENO="npx -y deno@2.9.6"
base=$((20000 + RANDOM % 2000))
r_ours=$((base + 1)) r_soketi=$((base + 2))
p_one=$((base + 10)) p_a=$((base + 11)) p_b=$((base + 12))
s_one=$((base + 20)) s_a=$((base + 21)) s_b=$((base + 22))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

for port in $r_ours $r_soketi; do
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
  pids+=($!)
done
sleep 0.5
start_ours() { # port [redis port]
  local env=(PORT="$1" HOST=127.0.0.1)
  [ -n "${2:-}" ] && env+=(REDIS_URL="redis://127.0.0.1:$2")
  env "${env[@]}" $DENO run -A src/hono/serve_deno.ts >/dev/null 2>&1 &
  pids+=($!)
}
start_ours $p_one
start_ours $p_a $r_ours
start_ours $p_b $r_ours
pids+=("$(SOKETI_PORT=$s_one "$SOKETI" --background)")
pids+=("$(SOKETI_PORT=$s_a SOKETI_REDIS_PORT=$r_soketi "$SOKETI" --background)")
pids+=("$(SOKETI_PORT=$s_b SOKETI_REDIS_PORT=$r_soketi "$SOKETI" --background)")
for port in $p_one $p_a $p_b; do
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
done

bench() { # label ports [redis port] [soketi]
  local args=(--ports "$2" --subs "$SUBS" --duration "$DURATION" --inflight "$INFLIGHT" --label "$1")
  [ -n "${3:-}" ] && args+=(--redis-port "$3")
  [ -n "${4:-}" ] && args+=(--app-id app-id --key app-key --secret app-secret)
  timeout 120 $DENO run -A bench/fanout_cluster.ts "${args[@]}"
}
for rep in $(seq 1 "$REPS"); do
  bench ours-1 "$p_one"
  bench ours-2 "$p_a,$p_b" "$r_ours"
  bench soketi-1 "$s_one" "" soketi
  bench soketi-2 "$s_a,$s_b" "$r_soketi" soketi
done
