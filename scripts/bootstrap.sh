#!/usr/bin/env bash
# Installs what a fresh Debian 12 / Ubuntu 22.04+ machine needs to build, run and test Tickscope.
# Idempotent: packages already present are skipped. Run as root or with sudo available.
#
# macOS (Homebrew):  brew install cmake ninja qt protobuf simdjson google-benchmark
# Windows (vcpkg + Qt online installer):
#   Qt 6.5+ (msvc2019_64) with Qt WebSockets, Qt Charts, Qt Shader Tools
#   vcpkg install protobuf simdjson benchmark --triplet x64-windows
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config clang-format
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-charts-dev qt6-declarative-dev qt6-declarative-dev-tools
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qtquick-window
    qml6-module-qtquick-templates qml6-module-qtqml-workerscript qml6-module-qtcharts qml6-module-qttest
    qml6-module-qtquick-dialogs qml6-module-qtcore qml6-module-qtqml qml6-module-qtquick-shapes
    qml6-module-qt-labs-settings qml6-module-qt-labs-folderlistmodel
    libgl-dev libglx-dev libxkbcommon-dev libvulkan-dev
    libprotobuf-dev protobuf-compiler libsimdjson-dev libbenchmark-dev
    xvfb xauth libgl1-mesa-dri
    # packaging and its test (installer/test-deb.sh): icons, .deb dependencies, package checks
    librsvg2-bin dpkg-dev fakeroot file lintian desktop-file-utils appstream python3
)

if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap.sh: this script installs Debian/Ubuntu packages; see the comment at its top for macOS/Windows." >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "bootstrap.sh: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "bootstrap.sh: needs root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
fi
echo "bootstrap.sh: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
