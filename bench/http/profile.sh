#!/usr/bin/env bash
# bash bench/http/profile.sh [seconds, default 8] [variants...]
#
# CPU profiles (--cpu-prof) of the auth servers of `task bench:http` under the same load: each server pinned to CPU 1,
# `wrk -t1 -c32` on CPU 0 for the given seconds, one after the other; then a summary per profile (top self-time frames,
# inclusive time of the layers: bench/http/profile_summary.ts). Variants: hono-deno, plain-deno (bench/http/auth_server.ts
# on Deno), hono-node (the Node bundle of the same file; run `deno task bench:http` once first for .bench-cache/).
# Profiles are written to .bench-cache/profiles/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DUR="${1:-8}"
shift $(($# < 1 ? $# : 1))
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(hono-deno plain-deno)
DENO="${DENO:-$(npx -y deno@2.9.6 eval 'console.log(Deno.execPath())')}"
OUT="$ROOT/.bench-cache/profiles/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${VARIANTS[@]}"; do
  port=$((20000 + RANDOM % 20000))
  ttl=$((DUR + 4))
  mkdir -p "$OUT/$v"
  case "$v" in
    hono-deno) cmd=("$DENO" run -A --cpu-prof --cpu-prof-dir="$OUT/$v" "$ROOT/bench/http/auth_server.ts" "$port" hono "$ttl") ;;
    plain-deno) cmd=("$DENO" run -A --cpu-prof --cpu-prof-dir="$OUT/$v" "$ROOT/bench/http/auth_server.ts" "$port" plain "$ttl") ;;
    hono-node) cmd=(node --cpu-prof --cpu-prof-dir="$OUT/$v" "$ROOT/.bench-cache/out/auth_server.mjs" "$port" hono "$ttl") ;;
    *) echo "unknown variant $v" >&2 && exit 1 ;;
  esac
  taskset -c 1 "${cmd[@]}" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  taskset -c 0 wrk -t1 -c32 -d"${DUR}s" -s "$ROOT/bench/http/post.lua" "http://127.0.0.1:$port/pusher/auth" |
    awk -v v="$v" '/Requests\/sec/{print "# " v ": " $2 " req/s"}'
  wait "$pid" || true # the server exits by itself after ttl seconds, writing its profile
  "$DENO" run -A "$ROOT/bench/http/profile_summary.ts" "$(ls "$OUT/$v"/*.cpuprofile | head -1)"
  echo
done
