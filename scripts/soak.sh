#!/usr/bin/env bash
# Load and soak test of the standalone app (issue 7): runs src/hono/serve_deno.ts (emulator + JWT auth policy) on
# 127.0.0.1, drives it with wrk (64 connections, 60 s by default) cycling pre-signed channel-auth requests and signed
# emulator triggers, and checks: zero non-2xx, RSS growth between second 10 and the end below 10 %, p99 reported, and
# the emulator's request log (its ring buffer) never above its capacity (read through GET /emulator/info and /log).
#
# A warm-up run at the same load (20 s by default, not measured) comes first: V8 sizes its heap during the first
# ~30 s under load (heap total 7 -> ~100 MB while the live heap after a full GC stays at ~7.5 MB), and RSS measured
# from a cold start would show that sizing rather than a leak.
#
#   deno task soak                       # 60 s, 64 connections
#   SOAK_SECONDS=10 deno task soak        # shorter
#
# Needs wrk (apt-get install -y wrk), curl and jq. Loopback only. Not part of CI (it takes a minute and a core).
set -euo pipefail

SECONDS_TOTAL="${SOAK_SECONDS:-60}"
WARMUP="${SOAK_WARMUP_SECONDS:-20}"
CONNECTIONS="${SOAK_CONNECTIONS:-64}"
PORT="${SOAK_PORT:-18787}"
HOST=127.0.0.1
ORIGIN="http://$HOST:$PORT"
MAX_GROWTH_PCT="${SOAK_MAX_GROWTH_PCT:-10}"

if (( SECONDS_TOTAL < 12 || SECONDS_TOTAL + WARMUP > 580 )); then
  echo "SOAK_SECONDS must be at least 12, and SOAK_SECONDS + SOAK_WARMUP_SECONDS at most 580 (the pre-signed requests are valid for ±600 s)" >&2
  exit 2
fi
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is required (apt-get install -y $tool)" >&2; exit 2; }
done

cd "$(dirname "$0")/.."
DENO="${DENO:-$(npx -y deno@2.9.6 eval 'console.log(Deno.execPath())')}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

JWT_SECRET="soak-jwt-secret-$(date +%s%N)"
"$DENO" run -A scripts/soak_presign.ts "$JWT_SECRET" "$WORK/soak.lua" >/dev/null

# The server process itself (no npx wrapper), so its PID is the one whose RSS we read.
HOST="$HOST" PORT="$PORT" PUSHER_AUTH_JWT_SECRET="$JWT_SECRET" "$DENO" run -A src/hono/serve_deno.ts >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "$ORIGIN/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$ORIGIN/health" >/dev/null || { echo "soak: the server did not start"; cat "$WORK/server.log"; exit 1; }

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
ring() { # prints "<entries> <capacity>"
  local cap n
  cap="$(curl -sf "$ORIGIN/emulator/info" | jq '.maxEntries')"
  n="$(curl -sf "$ORIGIN/emulator/log" | jq '.entries | length')"
  echo "$n $cap"
}

echo "soak: deno $("$DENO" --version | head -1 | cut -d' ' -f2), wrk -t1 -c$CONNECTIONS -d${SECONDS_TOTAL}s against $ORIGIN/pusher/auth and $ORIGIN/apps/1/events"
echo "soak: RSS at start $(rss_kb) kB"
if (( WARMUP > 0 )); then
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s "$WORK/soak.lua" "$ORIGIN" >"$WORK/warmup.txt" 2>&1
  echo "soak: warm-up ${WARMUP}s: $(sed -nE 's/^SOAK (requests=[0-9]+).*/\1/p' "$WORK/warmup.txt"), $(sed -nE 's/^SOAK (non2xx=[0-9]+)/\1/p' "$WORK/warmup.txt"); RSS $(rss_kb) kB"
fi
wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --timeout 5s --latency -s "$WORK/soak.lua" "$ORIGIN" >"$WORK/wrk.txt" 2>"$WORK/wrk.err" &
WRK_PID=$!

sleep 10
RSS10="$(rss_kb)"
read -r RING10 CAP <<<"$(ring)"
echo "soak: t=10s RSS ${RSS10} kB, emulator log ${RING10}/${CAP} entries"
RING_MAX="$RING10"
elapsed=10
while (( elapsed + 10 < SECONDS_TOTAL )); do
  sleep 10
  elapsed=$((elapsed + 10))
  read -r n _ <<<"$(ring)"
  (( n > RING_MAX )) && RING_MAX="$n"
  echo "soak: t=${elapsed}s RSS $(rss_kb) kB, emulator log ${n}/${CAP} entries"
done
# The last sample, just before wrk stops.
sleep $((SECONDS_TOTAL - elapsed - 1))
RSS_END="$(rss_kb)"
read -r RING_END _ <<<"$(ring)"
(( RING_END > RING_MAX )) && RING_MAX="$RING_END"
echo "soak: t=$((SECONDS_TOTAL - 1))s RSS ${RSS_END} kB, emulator log ${RING_END}/${CAP} entries"
wait "$WRK_PID"

echo "---- wrk ----"
cat "$WORK/wrk.txt"
if [[ -s "$WORK/wrk.err" ]]; then echo "---- wrk stderr ----"; head -20 "$WORK/wrk.err"; fi
echo "---- checks ----"

NON2XX="$(sed -nE 's/^SOAK non2xx=([0-9]+)$/\1/p' "$WORK/wrk.txt")"
REQUESTS="$(sed -nE 's/^SOAK requests=([0-9]+).*/\1/p' "$WORK/wrk.txt")"
SOCKET_ERRORS="$(sed -nE 's/^SOAK requests=[0-9]+ errors_connect=([0-9]+) errors_read=([0-9]+) errors_write=([0-9]+) errors_timeout=([0-9]+).*/\1 \2 \3 \4/p' "$WORK/wrk.txt" | awk '{ print $1 + $2 + $3 + $4 }')"
P99_US="$(sed -nE 's/^SOAK latency_us .*p99=([0-9]+).*/\1/p' "$WORK/wrk.txt")"
GROWTH_PCT="$(awk -v a="$RSS10" -v b="$RSS_END" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')"
fail=0
check() { # check <ok?> <message>
  if [[ "$1" == 1 ]]; then echo "PASS $2"; else echo "FAIL $2"; fail=1; fi
}
check "$([[ -n "$REQUESTS" && "$REQUESTS" -gt 0 ]] && echo 1)" "requests completed: ${REQUESTS:-0}"
WARM_NON2XX="$(sed -nE 's/^SOAK non2xx=([0-9]+)$/\1/p' "$WORK/warmup.txt" 2>/dev/null || true)"
check "$([[ "$NON2XX" == 0 && "${WARM_NON2XX:-0}" == 0 ]] && echo 1)" "non-2xx responses: ${NON2XX:-?} (warm-up: ${WARM_NON2XX:-none})"
check "$([[ "$SOCKET_ERRORS" == 0 ]] && echo 1)" "socket errors (connect/read/write/timeout): ${SOCKET_ERRORS:-?}"
check "$(awk -v g="$GROWTH_PCT" -v m="$MAX_GROWTH_PCT" 'BEGIN { if (g < m) print 1 }')" \
  "RSS growth from t=10s to t=$((SECONDS_TOTAL - 1))s: ${RSS10} kB -> ${RSS_END} kB (${GROWTH_PCT} %, limit ${MAX_GROWTH_PCT} %)"
check "$([[ "$RING_MAX" -le "$CAP" ]] && echo 1)" "emulator ring buffer bounded: at most ${RING_MAX} of ${CAP} entries"
echo "p99 latency: $(awk -v u="$P99_US" 'BEGIN { printf "%.2f ms", u / 1000 }')"
healthy=0
if kill -0 "$SERVER_PID" 2>/dev/null && curl -sf "$ORIGIN/health" >/dev/null; then healthy=1; fi
check "$healthy" "server still healthy after the run"
exit "$fail"
