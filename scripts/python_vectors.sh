#!/usr/bin/env bash
# Runs the vectors against the Python reference (vectors/python/run_vectors.py). Picks an interpreter that has
# PyNaCl when there is one (a pyenv python3 on PATH may not see Debian's python3-nacl). In CI the secretbox vectors
# must run, so a missing PyNaCl is an error there (--require-nacl).
set -euo pipefail
cd "$(dirname "$0")/.."
py=python3
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import nacl" >/dev/null 2>&1; then
    py=$candidate
    break
  fi
done
extra=()
[ "${CI:-}" = "true" ] && extra+=(--require-nacl)
exec "$py" vectors/python/run_vectors.py "${extra[@]}" "$@"
