#!/usr/bin/env bash
# Idempotent install of the extra runtimes/tools used by `deno task matrix` (issue 5).
# Everything goes to .cache/matrix (gitignored); there is never a package.json at the repo root.
#   bun 1.4.4        — needs its postinstall (links the native binary), so scripts are NOT ignored
#   miniflare        — 4.20260426.0 is the last release declaring node >=18 (we run Node 20)
#   edge-runtime     — Vercel's edge runtime (node:vm based)
# esbuild comes through Deno (npm:esbuild in deno.json), so it is not installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/matrix
mkdir -p "$dir"
want='{"private":true,"name":"pusher-edge-matrix","dependencies":{"bun":"1.4.4","miniflare":"4.20260426.0","edge-runtime":"4.0.1"},"allowScripts":{"bun":true}}'
if [ -f "$dir/package.json" ] && [ "$(cat "$dir/package.json")" = "$want" ] && [ -x "$dir/node_modules/.bin/bun" ] \
  && "$dir/node_modules/.bin/bun" --version >/dev/null 2>&1 && [ -d "$dir/node_modules/miniflare" ] \
  && [ -d "$dir/node_modules/edge-runtime" ]; then
  echo "ci_setup_matrix: already installed ($dir)"
  exit 0
fi
printf '%s' "$want" > "$dir/package.json"
# --no-audit/--no-fund: no extra registry traffic. bun's postinstall must run ("allowScripts" above is npm 11's opt-in).
( cd "$dir" && npm install --no-audit --no-fund --no-package-lock --loglevel=error )
"$dir/node_modules/.bin/bun" --version
echo "ci_setup_matrix: ok"
