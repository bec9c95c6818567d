#!/bin/sh
# Runs a test on a virtual X display with Mesa's OpenGL (Qt Quick's hardware path), where the
# default offscreen platform would use Qt Quick's software renderer. Skips (77) without xvfb-run.
command -v xvfb-run >/dev/null 2>&1 || { echo "under-xvfb.sh: xvfb-run not found, skipped" >&2; exit 77; }
QT_QPA_PLATFORM=xcb exec xvfb-run -a -s "-screen 0 1280x800x24" "$@"
