#!/usr/bin/env bash
# Builds the .deb from a configured and built tree and checks it the way a user meets it:
#   1. cpack -G DEB; the package holds the three programs, desktop entry, AppStream metainfo,
#      hicolor icons, manual pages and copyright, and depends on the distribution's Qt packages;
#   2. lintian reports no errors; desktop-file-validate and appstreamcli validate (--no-net) pass;
#   3. as root (or with password-less sudo): apt-get install ./tickscope_*.deb, the installed
#      `tickscope --version` prints the project version, the installed app started offscreen on
#      its demo feed writes a non-blank screenshot, and apt-get purge removes every file again.
# Without root, step 3 is skipped with the reason and exit code 77 (ctest SKIP_RETURN_CODE).
#
# Usage: installer/test-deb.sh BUILD_DIR VERSION [CPACK]
set -euo pipefail

build_dir=$(cd "${1:?usage: test-deb.sh BUILD_DIR VERSION}" && pwd)
version=${2:?usage: test-deb.sh BUILD_DIR VERSION}
cpack=${3:-cpack}
app_id=app.tickscope.Tickscope
SUDO=""

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
for tool in "$cpack" dpkg-deb lintian desktop-file-validate appstreamcli python3; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (scripts/bootstrap.sh installs it)"
done

work=$(mktemp -d /tmp/tickscope-deb.XXXXXX)
installed_by_us=0
cleanup() {
    if [ "$installed_by_us" = 1 ]; then
        # A failed check must not leave the package on the machine.
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q tickscope >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
# apt's download sandbox user (_apt) must be able to read the package.
chmod 755 "$work"

echo "== cpack -G DEB"
(cd "$build_dir" && "$cpack" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
shopt -s nullglob
debs=("$work"/out/tickscope_*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one tickscope_*.deb, found: ${debs[*]:-none}"
deb=${debs[0]}
chmod 644 "$deb"
echo "built $(basename "$deb")"

echo "== package contents and dependencies"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
expected=(
    /usr/bin/tickscope /usr/bin/tickscope-sim /usr/bin/tickscope-cap
    /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml
    /usr/share/icons/hicolor/scalable/apps/tickscope.svg
    /usr/share/man/man1/tickscope.1.gz /usr/share/man/man1/tickscope-sim.1.gz /usr/share/man/man1/tickscope-cap.1.gz
    /usr/share/doc/tickscope/copyright /usr/share/doc/tickscope/changelog.Debian.gz
)
for size in 16 22 24 32 48 64 128 256 512; do
    expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/tickscope.png")
done
for path in "${expected[@]}"; do
    grep -qx "$path" "$work/contents" || fail "the package lacks $path"
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] || fail "package version $(dpkg-deb -f "$deb" Version), expected $version-1"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for package in libqt6core6 libqt6quick6 qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtcharts; do
    [[ ", $depends," == *", $package"[\ ,]* ]] || fail "Depends lacks $package"
done

echo "== lintian"
# Errors fail; warnings and notes are shown for information.
lintian --fail-on error --display-level ">=warning" --tag-display-limit 0 "$deb" || fail "lintian reports errors"

echo "== desktop-file-validate and appstreamcli validate"
dpkg-deb -x "$deb" "$work/root"
desktop-file-validate "$work/root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/$app_id.metainfo.xml" || fail "appstreamcli validate"
grep -q "<release version=\"$version\"" "$work/root/usr/share/metainfo/$app_id.metainfo.xml" \
    || fail "the metainfo has no release entry for $version"
grep -q "<screenshot" "$work/root/usr/share/metainfo/$app_id.metainfo.xml" || fail "the metainfo has no screenshot"

# ---- install, run, remove: needs root ----------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "SKIPPED: installing the package needs root or password-less sudo (running as $(id -un));" \
            "the package was built and passed lintian, desktop-file-validate and appstreamcli, but" \
            "apt-get install / run / remove were not tried"
        exit 77
    fi
fi
if dpkg-query -W -f='${Status}' tickscope 2>/dev/null | grep -q "install ok installed"; then
    echo "SKIPPED: a tickscope package is already installed on this machine; the test does not" \
        "replace or remove someone's installation (apt-get purge tickscope to let it run)"
    exit 77
fi

echo "== apt-get install ./$(basename "$deb")"
installed_by_us=1
(cd "$work/out" && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "./$(basename "$deb")") || fail "apt-get install"
dpkg-query -W -f='${Status}' tickscope | grep -q "install ok installed" || fail "dpkg does not list tickscope as installed"

echo "== installed tickscope --version"
out=$(QT_QPA_PLATFORM=offscreen /usr/bin/tickscope --version)
[ "$out" = "Tickscope $version" ] || fail "tickscope --version printed '$out', expected 'Tickscope $version'"
echo "$out"
/usr/bin/tickscope-sim --version | grep -qx "tickscope-sim $version" || fail "tickscope-sim --version"
/usr/bin/tickscope-cap --version | grep -qx "tickscope-cap $version" || fail "tickscope-cap --version"

echo "== installed tickscope --screenshot on the demo feed (offscreen)"
# Its own config dir, so the user's workspace is neither read nor written.
QT_QPA_PLATFORM=offscreen timeout 120 /usr/bin/tickscope --config-dir "$work/config" \
    --screenshot "$work/shot.png" --after 3 --stats "$work/stats.json" || fail "the installed app did not run"
python3 - "$work/shot.png" "$work/stats.json" <<'EOF' || fail "the screenshot is blank or no demo data arrived"
import json, struct, sys, zlib

png = open(sys.argv[1], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(png):
    length, kind = struct.unpack(">I4s", png[pos:pos + 8])
    data = png[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
    elif kind == b"IDAT":
        idat += data
    pos += 12 + length
channels = {2: 3, 6: 4}.get(colour)
assert depth == 8 and channels and interlace == 0, f"unexpected PNG format depth={depth} colour={colour}"
raw, stride = zlib.decompress(idat), width * channels
prev, colours = bytearray(stride), set()
for y in range(height):
    filt = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]
        c = prev[x - channels] if x >= channels else 0
        if filt == 1:
            line[x] = (line[x] + a) & 255
        elif filt == 2:
            line[x] = (line[x] + b) & 255
        elif filt == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif filt == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, channels * 7):  # a sample of the pixels is plenty
        colours.add(bytes(line[x:x + 3]))
    prev = line
stats = json.load(open(sys.argv[2]))
print(f"screenshot {width}x{height}, {len(colours)} distinct colours sampled; "
      f"{stats.get('messages_applied')} demo messages applied")
assert width >= 800 and height >= 500, "window too small"
assert len(colours) >= 16, "the screenshot is (nearly) one colour"
assert stats.get("messages_applied", 0) > 0, "no demo feed data was applied"
EOF

echo "== apt-get purge tickscope"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 tickscope \
    || fail "apt-get purge"
installed_by_us=0
if dpkg-query -W -f='${Status}' tickscope 2>/dev/null | grep -q "install ok installed"; then
    fail "tickscope is still installed after purge"
fi
left=0
while read -r path; do
    if [ -n "$path" ] && [ ! -d "$path" ] && [ -e "$path" ]; then
        echo "left behind: $path" >&2
        left=1
    fi
done <"$work/contents"
[ "$left" = 0 ] || fail "files of the package remain after purge"
echo "PASS: built, validated, installed, ran and removed $(basename "$deb")"
