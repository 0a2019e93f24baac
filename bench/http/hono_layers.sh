#!/usr/bin/env bash
# bash bench/http/hono_layers.sh [runtime: deno|node|bun] [rounds] [seconds] [variants...]
#
# Splits the cost of POST /pusher/auth into layers (bench/http/hono_layers.ts): the runtime's server alone
# (plain-empty), plus Hono routing and context (hono-empty), the core's signature in a plain handler (plain-core) and in
# a bare Hono route (hono-core), and the app's pusherChannelAuth handler (hono-handler). Each server is pinned to CPU 1,
# wrk (-t1 -c32) to CPU 0; besides req/s it prints the server's CPU time per request (utime+stime from /proc over the
# wrk run), which stays comparable when other jobs share the machine. Run `deno task bench:http` once first (it
# installs .bench-cache/ and bundles hono_layers for Node and Bun).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RT="${1:-deno}" ROUNDS="${2:-3}" DUR="${3:-5}"
shift $(($# < 3 ? $# : 3))
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(plain-empty hono-empty plain-core hono-core hono-handler)
DENO="${DENO:-$(npx -y deno@2.9.6 eval 'console.log(Deno.execPath())')}"
CLK=$(getconf CLK_TCK)
PIDS=() PORTS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
port=$((20000 + RANDOM % 20000))
for v in "${VARIANTS[@]}"; do
  port=$((port + 1))
  case "$RT" in
    deno) cmd=("$DENO" run -A "$ROOT/bench/http/hono_layers.ts") ;;
    node) cmd=(node "$ROOT/.bench-cache/out/hono_layers.mjs") ;;
    bun) cmd=("$ROOT/.bench-cache/node_modules/.bin/bun" "$ROOT/.bench-cache/out/hono_layers.mjs") ;;
  esac
  taskset -c 1 "${cmd[@]}" "$port" "$v" 600 >/dev/null 2>&1 &
  PIDS+=($!) PORTS+=("$port")
done
for p in "${PORTS[@]}"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$p/" && break; sleep 0.1; done
done
echo "# $RT, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for i in "${!VARIANTS[@]}"; do
    pid=${PIDS[$i]}
    # The server's process (taskset execs it, so the pid is the runtime's own).
    t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(taskset -c 0 wrk -t1 -c32 -d"${DUR}s" -s "$ROOT/bench/http/post.lua" "http://127.0.0.1:${PORTS[$i]}/pusher/auth")
    t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    reqs=$(echo "$out" | awk '/requests in/{print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    printf '%s round %s %-13s %10s req/s %7s µs CPU/req\n' "$RT" "$r" "${VARIANTS[$i]}" "$rps" \
      "$(echo "scale=1; ($t1 - $t0) * 1000000 / $CLK / $reqs" | bc)"
  done
done
