#!/usr/bin/env bash
# Set up everything and run the whole test suite: lint, types, tests (browser ones included).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
    echo "==> installing Debian's chromium for the browser tests"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi
echo "==> ruff"
ruff check .
echo "==> mypy"
mypy
echo "==> pytest"
python -m pytest -p no:cacheprovider "$@"
