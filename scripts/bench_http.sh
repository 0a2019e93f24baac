#!/usr/bin/env bash
# deno task bench:http   (or: bash scripts/bench_http.sh)
#
# 1. Auth endpoint under load: POST /pusher/auth (form body, private channel) against
#    - the app's pusherChannelAuth handler (Hono) on Deno.serve, Bun.serve and @hono/node-server,
#    - a plain Deno.serve handler on the core (no Hono; the framework-free floor),
#    - the reference: node:http + the official `pusher` package.
#    wrk -t1 at 2 and 32 connections, ROUNDS interleaved rounds of DURATION seconds; prints the median req/s, p50, p99
#    and the ratio to the reference, and the server's CPU time per request (utime+stime of its process from /proc over
#    the wrk run; other jobs on the machine do not inflate it, unlike req/s). Servers are pinned to CPU 1, wrk to CPU 0
#    (taskset), all on 127.0.0.1.
# 2. Trigger throughput: pusher-edge's client vs the official client against a loopback echo server, on Deno, Node, Bun.
# 3. Cold start (process start -> first channel signature): pusher-edge vs the official package, per runtime
#    (hyperfine; also shown relative to the runtime's empty script).
#
# Environment: ROUNDS (3), DURATION (10), CONNS ("2 32"), PARTS ("auth trigger cold"), RUNTIMES ("deno node bun"),
# COLD_RUNS (20). Needs wrk and hyperfine (apt-get install -y wrk hyperfine), Node 20 and npm on PATH.
# Everything is bounded: wrk runs for DURATION s, servers exit by themselves after 15 min, clients are time-boxed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="$ROOT/.bench-cache"
OUT="$CACHE/out"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
CONNS="${CONNS:-2 32}"
PARTS="${PARTS:-auth trigger cold}"
RUNTIMES="${RUNTIMES:-deno node bun}"
COLD_RUNS="${COLD_RUNS:-20}"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1

for tool in wrk hyperfine node npm; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk hyperfine)" >&2; exit 1; }
done
if [ -z "${DENO:-}" ]; then
  DENO="$(npx -y deno@2.9.6 eval 'console.log(Deno.execPath())')"
fi
BUN="$CACHE/node_modules/.bin/bun"
PIN_SERVER=() PIN_CLIENT=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN_SERVER=(taskset -c 1) PIN_CLIENT=(taskset -c 0); fi

"$DENO" run -A scripts/bench_compare.ts --setup-http >&2

RESULTS="$CACHE/results/http-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { # port
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

start() { # name port cmd...
  local name="$1" port="$2"
  shift 2
  "${PIN_SERVER[@]}" "$@" >"$RESULTS/$name.server.log" 2>&1 &
  PIDS+=($!)
  wait_port "$port"
}

runtime_versions() {
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
  echo "- deno $("$DENO" --version | head -1 | cut -d' ' -f2), node $(node --version), bun $("$BUN" --version)," \
    "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(hyperfine --version)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "# pusher-edge HTTP benchmarks ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
runtime_versions
echo

# ---------------------------------------------------------------- 1. auth endpoint
if [[ " $PARTS " == *" auth "* ]]; then
  declare -A SERVERS=(
    [ref-node-http-official]="18301|node $OUT/ref_server.mjs 18301"
    [hono-deno]="18302|$DENO run -A bench/http/auth_server.ts 18302 hono"
    [hono-bun]="18303|$BUN $OUT/auth_server.mjs 18303 hono"
    [hono-node]="18304|node $OUT/auth_server.mjs 18304 hono"
    [plain-deno-core]="18305|$DENO run -A bench/http/auth_server.ts 18305 plain"
  )
  ORDER=(ref-node-http-official hono-deno hono-bun hono-node plain-deno-core)
  declare -A SPID=()
  cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
  for name in "${ORDER[@]}"; do
    IFS='|' read -r port cmd <<<"${SERVERS[$name]}"
    # shellcheck disable=SC2086
    start "$name" "$port" $cmd
    SPID[$name]=${PIDS[-1]} # taskset execs the runtime, so this is the server's own process
    body="$(curl -s -X POST -H 'content-type: application/x-www-form-urlencoded' \
      --data 'socket_id=123456.7654321&channel_name=private-foo' "http://127.0.0.1:$port/pusher/auth")"
    echo "$name $body" >>"$RESULTS/answers.txt"
  done
  if [ "$(cut -d' ' -f2- "$RESULTS/answers.txt" | sort -u | wc -l)" != 1 ]; then
    echo "servers disagree:" >&2
    cat "$RESULTS/answers.txt" >&2
    exit 1
  fi
  echo "All servers answer $(head -1 "$RESULTS/answers.txt" | cut -d' ' -f2-)" >&2
  for round in $(seq 1 "$ROUNDS"); do
    for c in $CONNS; do
      for name in "${ORDER[@]}"; do
        IFS='|' read -r port _ <<<"${SERVERS[$name]}"
        echo "# round $round, $name, $c connections" >&2
        t0=$(cpu_ticks "${SPID[$name]}")
        "${PIN_CLIENT[@]}" wrk -t1 -c"$c" -d"${DURATION}s" --latency -s bench/http/post.lua \
          "http://127.0.0.1:$port/pusher/auth" >"$RESULTS/wrk.$name.c$c.r$round.txt"
        echo "cpu_ticks $(($(cpu_ticks "${SPID[$name]}") - t0)) $(getconf CLK_TCK)" >>"$RESULTS/wrk.$name.c$c.r$round.txt"
      done
    done
  done
  cleanup
  PIDS=()
  "$DENO" run -A bench/http/summarize.ts wrk "$RESULTS" ref-node-http-official
  echo
fi

# ---------------------------------------------------------------- 2. trigger throughput
if [[ " $PARTS " == *" trigger "* ]]; then
  start echo 18310 node "$OUT/echo_server.mjs" 18310 900
  for rt in $RUNTIMES; do
    echo "# trigger client on $rt" >&2
    case "$rt" in
      deno) cmd=("$DENO" run -A bench/http/trigger_client.ts) ;;
      node) cmd=(node --no-deprecation "$OUT/trigger_client.mjs") ;;
      bun) cmd=("$BUN" "$OUT/trigger_client.mjs") ;;
    esac
    "${PIN_CLIENT[@]}" "${cmd[@]}" 18310 5 1000 1500 32 >"$RESULTS/trigger.$rt.jsonl" 2>"$RESULTS/trigger.$rt.err"
  done
  cleanup
  PIDS=()
  "$DENO" run -A bench/http/summarize.ts trigger "$RESULTS" $RUNTIMES
  echo
fi

# ---------------------------------------------------------------- 3. cold start
if [[ " $PARTS " == *" cold "* ]]; then
  # cold_pkg: cold_ours.ts bundled the way a bundler builds it from the npm package, whose package.json declares
  # "sideEffects": false (scripts/build_npm.ts): the same import, but unused modules (the REST client) are dropped.
  # cold_ours.mjs is bundled from the sources, where no package.json says so, and keeps every module mod.ts reaches.
  PKG="$CACHE/pkg"
  rm -rf "$PKG" && mkdir -p "$PKG/bench/http"
  echo '{ "name": "pusher-edge-cold", "type": "module", "sideEffects": false }' >"$PKG/package.json"
  ln -s "$ROOT/mod.ts" "$PKG/mod.ts" && ln -s "$ROOT/src" "$PKG/src"
  cp bench/http/cold_ours.ts "$PKG/bench/http/cold_ours.ts"
  "$CACHE/node_modules/esbuild/bin/esbuild" "$PKG/bench/http/cold_ours.ts" --bundle --format=esm --platform=node \
    --target=node20 --preserve-symlinks --log-level=warning --outfile="$OUT/cold_pkg.mjs"
  CMDS=()
  for rt in $RUNTIMES; do
    for what in empty ours pkg core official; do
      case "$rt" in
        deno) [ "$what" = pkg ] || CMDS+=("$DENO run -A bench/http/cold_$what.ts") ;;
        node) CMDS+=("node $OUT/cold_$what.mjs") ;;
        bun) CMDS+=("$BUN $OUT/cold_$what.mjs") ;;
      esac
    done
  done
  "${PIN_CLIENT[@]}" hyperfine -N --warmup 3 --runs "$COLD_RUNS" --export-json "$RESULTS/cold.json" "${CMDS[@]}" \
    >"$RESULTS/cold.txt" 2>&1
  "$DENO" run -A bench/http/summarize.ts cold "$RESULTS"
fi
echo
echo "Raw outputs: ${RESULTS#"$ROOT/"}"
