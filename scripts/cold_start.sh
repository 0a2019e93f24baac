#!/usr/bin/env bash
# What a newcomer's first `npx -y deno@2.9.6 task start` downloads: a fresh clone of HEAD (or of the branch given),
# an empty DENO_DIR, the emulator started until it answers, then the npm packages and megabytes it fetched.
#   bash scripts/cold_start.sh [branch]
# (Deno itself comes from npx's cache and is not counted.)
set -euo pipefail
cd "$(dirname "$0")/.."
branch=${1:-$(git rev-parse --abbrev-ref HEAD)}
work=$(mktemp -d "${TMPDIR:-/tmp}/pusher-edge-cold-XXXX")
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
git clone -q -b "$branch" "file://$PWD" "$work/repo"
export DENO_DIR="$work/deno_dir" NO_COLOR=1
port=$((20000 + RANDOM % 20000))
start=$(date +%s%N)
(cd "$work/repo" && PORT=$port exec npx -y deno@2.9.6 task start) >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/out.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
ms=$((($(date +%s%N) - start) / 1000000))
grep -q "listening on" "$work/out.log" || { cat "$work/out.log"; echo "cold_start: the emulator did not start"; exit 1; }
reg="$DENO_DIR/npm/registry.npmjs.org"
# One directory per package version: <name>/<version> or @<scope>/<name>/<version>.
list=$(cd "$reg" 2>/dev/null && find . -mindepth 2 -maxdepth 3 -type d | sed 's|^\./||' |
  awk -F/ '($1 ~ /^@/ && NF == 3) || ($1 !~ /^@/ && NF == 2)' | sort)
packages=$(grep -c . <<<"$list" || true)
names=$(tr '\n' ' ' <<<"$list")
mb=$(du -sm "$DENO_DIR/npm" 2>/dev/null | cut -f1)
nm=$([ -d "$work/repo/node_modules" ] && du -sm "$work/repo/node_modules" | cut -f1 || echo 0)
echo "cold task start on $branch: $packages npm packages, ${mb} MB in DENO_DIR, ${nm} MB node_modules, first answer after ${ms} ms"
echo "packages: $names"
if grep -qi "approve-scripts\|build scripts" "$work/out.log"; then echo "warning printed: install scripts"; else echo "no install-script warning"; fi
