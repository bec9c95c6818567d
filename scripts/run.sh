#!/usr/bin/env bash
# Installs what is missing, builds the release preset and starts the dashboard on the built-in demo feed.
# Extra arguments go to tickscope (see `tickscope --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake --preset release
cmake --build --preset release
exec build/release/app/tickscope "$@"
