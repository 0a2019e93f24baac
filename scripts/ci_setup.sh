#!/usr/bin/env bash
# Idempotent install of what the Hono app's tests need (issue 4). Skips whatever is already present.
#   chromium   Debian package, for tests/hono_browser_test.ts (playwright-core drives /usr/bin/chromium;
#              playwright-core itself, miniflare and @hono/node-server come through deno.json)   ~40 s when absent
#   bun 1.4.4  for the Bun smoke test in tests/hono_runtimes_test.ts. scripts/ci_setup_matrix.sh already installs it
#              under .cache/matrix, which the test finds; only when that script is gone is it installed here.  ~4 s
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x /usr/bin/chromium ]; then
  echo "ci_setup: chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
else
  echo "ci_setup: installing chromium (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  /usr/bin/chromium --version
fi

bun_home="${HOME}/.cache/pusher-edge/bun"
if [ -x .cache/matrix/node_modules/.bin/bun ] || [ -x "$bun_home/node_modules/.bin/bun" ] || command -v bun >/dev/null 2>&1; then
  echo "ci_setup: bun present"
elif [ -f scripts/ci_setup_matrix.sh ]; then
  echo "ci_setup: bun comes from scripts/ci_setup_matrix.sh"
else
  echo "ci_setup: installing bun@1.4.4 into $bun_home (its postinstall must run)"
  mkdir -p "$bun_home"
  npm install --prefix "$bun_home" --no-audit --no-fund --no-package-lock --loglevel=error bun@1.4.4
  "$bun_home/node_modules/.bin/bun" --version
fi
echo "ci_setup: ok"
