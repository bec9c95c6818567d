#!/usr/bin/env bash
# Installs what is missing, builds the release preset and starts the dashboard on the built-in demo feed.
# Extra arguments go to tickscope (see `tickscope --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake --preset release
cmake --build --preset release
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
    && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    # No desktop session (e.g. over ssh): run on a virtual X server so the app still starts.
    echo "run.sh: no display found; starting tickscope on a virtual X display (xvfb-run). Ctrl+C to stop." >&2
    exec xvfb-run -a -s "-screen 0 1600x1000x24" build/release/app/tickscope "$@"
fi
exec build/release/app/tickscope "$@"
