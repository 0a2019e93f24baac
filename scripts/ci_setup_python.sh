#!/usr/bin/env bash
# Idempotent: PyNaCl (Debian python3-nacl) so vectors/python/run_vectors.py also checks the secretbox vectors.
# PyPI is out of reach; the Debian package installs into /usr/bin/python3's dist-packages.   ~5 s when absent
set -euo pipefail
if /usr/bin/python3 -c "import nacl" >/dev/null 2>&1; then
  echo "ci_setup_python: python3-nacl present"
else
  echo "ci_setup_python: installing python3-nacl (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-nacl >/dev/null
fi
