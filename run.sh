#!/usr/bin/env bash
# Set up everything and run the platform with demo data (embedded PostgreSQL and Redis
# under ./data unless DATABASE_URL / REDIS_URL point elsewhere). Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
exec cbt dev "$@"
