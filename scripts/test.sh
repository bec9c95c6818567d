#!/usr/bin/env bash
# Installs what is missing, builds the dev preset and runs the whole test suite (ctest).
# Usage: scripts/test.sh [preset]   (preset: dev (default), asan, tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
scripts/bootstrap.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
