#!/usr/bin/env bash
# Starts our WebSocket server on one runtime for wsperf (shared/tools/wsperf run-all.sh START_CMD) and prints the PID
# of the process that serves the sockets once it listens (for workerd: the workerd child of Miniflare).
#   bench/ws_start.sh deno|node|bun|workerd PORT
# App app-id / app-key / app-secret, emulator on, no client-event rate limit (soketi's reference config has none).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rt=$1
port=$2
export PUSHER_APP_ID=app-id PUSHER_KEY=app-key PUSHER_SECRET=app-secret PUSHER_EMULATOR=1 PORT=$port HOST=127.0.0.1
export PUSHER_CLIENT_EVENTS_PER_SECOND=${PUSHER_CLIENT_EVENTS_PER_SECOND:-1000000} NO_COLOR=1 DENO_NO_UPDATE_CHECK=1
cache=$root/.cache/wsbench
mkdir -p "$cache"
deno=$(npx -y deno@2.9.6 eval 'console.log(Deno.execPath())')
bundle() { # entry platform out
  [ -f "$3" ] || "$deno" bundle --quiet "--platform=$2" --format=esm -o "$3" "$root/$1"
}
log=$cache/$rt-$port.log
case $rt in
  deno) setsid "$deno" run -A "$root/src/hono/serve_deno.ts" >"$log" 2>&1 </dev/null & ;;
  node)
    bundle src/hono/serve_node.ts deno "$cache/serve_node.mjs"
    setsid node "$cache/serve_node.mjs" >"$log" 2>&1 </dev/null &
    ;;
  bun)
    bun=${PUSHER_EDGE_BUN:-$HOME/.cache/pusher-edge/bun/node_modules/.bin/bun}
    bundle src/hono/serve_bun.ts browser "$cache/serve_bun.mjs"
    setsid "$bun" "$cache/serve_bun.mjs" >"$log" 2>&1 </dev/null &
    ;;
  workerd)
    cd "$root"
    PUSHER_SHARDS=${PUSHER_SHARDS:-2} setsid "$deno" run -A scripts/start_workers.ts >"$log" 2>&1 </dev/null &
    ;;
  *) echo "unknown runtime $rt" >&2 && exit 2 ;;
esac
pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$log" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$log" || { echo "no banner from $rt: $(tail -5 "$log")" >&2; exit 1; }
if [ "$rt" = workerd ]; then
  echo "$pid" >>"$cache/workerd-parents"
  for _ in $(seq 1 50); do
    child=$(pgrep -P "$pid" -f workerd | head -1 || true)
    [ -n "$child" ] && break
    sleep 0.1
  done
  pid=$child
fi
echo "$pid"
