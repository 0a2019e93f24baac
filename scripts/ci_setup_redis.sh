#!/usr/bin/env bash
# Idempotent install of redis-server (Debian package) for tests/server_redis_test.ts (issue 17). The tests start their
# own redis-server on a free loopback port without persistence (--save '' --appendonly no) and stop it; nothing here
# starts a daemon.                                                                                     ~10 s when absent
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "ci_setup_redis: $(redis-server --version | head -n 1)"
  exit 0
fi
echo "ci_setup_redis: installing redis-server (apt)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d may refuse to start the service in a container; the package is installed all the same.
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
redis-server --version
echo "ci_setup_redis: ok"
