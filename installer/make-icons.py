#!/usr/bin/env python3
"""Regenerates the committed Windows .ico and macOS .icns from the one SVG icon source.

Usage: installer/make-icons.py   (needs rsvg-convert, Debian package librsvg2-bin)

Linux packages rasterise the hicolor PNGs at build time (installer/CMakeLists.txt); Windows and
macOS builds have no SVG rasteriser by default, so their icon containers are generated here and
committed. Run this after changing resources/icons/tickscope.svg.
"""
import pathlib
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "tickscope.svg"
ICO = ROOT / "installer" / "windows" / "tickscope.ico"
ICNS = ROOT / "installer" / "macos" / "tickscope.icns"


def render(size: int, tmp: pathlib.Path) -> bytes:
    out = tmp / f"{size}.png"
    subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), "-o", str(out), str(SVG)], check=True)
    return out.read_bytes()


def png_rgba(png: bytes):
    """Decodes the 8-bit RGBA, non-interlaced PNG rsvg-convert writes; returns (width, height, rows)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
            if depth != 8 or colour != 6 or interlace != 0:
                sys.exit("make-icons.py: expected an 8-bit RGBA non-interlaced PNG from rsvg-convert")
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - 4] if x >= 4 else 0
            up = prev[x]
            upleft = prev[x - 4] if x >= 4 else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def dib(png: bytes) -> bytes:
    """A 32-bit BGRA icon image (BITMAPINFOHEADER, bottom-up, AND mask) for the small ICO sizes,
    which older loaders (the resource compiler, NSIS) expect uncompressed."""
    width, height, rows = png_rgba(png)
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = bytearray()
    for row in reversed(rows):
        for x in range(width):
            r, g, b, a = row[x * 4:x * 4 + 4]
            pixels += bytes((b, g, r, a))
    mask_stride = ((width + 31) // 32) * 4
    return header + bytes(pixels) + bytes(mask_stride * height)


def write_ico(images: dict) -> None:
    sizes = [16, 24, 32, 48, 64, 256]
    blobs = [images[s] if s >= 256 else dib(images[s]) for s in sizes]  # 256 px as PNG, as Windows does
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    for size, blob in zip(sizes, blobs):
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    ICO.write_bytes(out + b"".join(blobs))


def write_icns(images: dict) -> None:
    # PNG-encoded element types (macOS 10.7+): 16, 32, 64 (32@2x), 128, 256, 512, 1024 (512@2x).
    types = [(b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64), (b"ic07", 128),
             (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512), (b"ic10", 1024)]
    pixel = {b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512}  # the @2x types hold twice the points
    body = b""
    for kind, points in types:
        png = images[points * 2 if kind in pixel else points]
        body += kind + struct.pack(">I", 8 + len(png)) + png
    ICNS.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        images = {s: render(s, pathlib.Path(tmp)) for s in (16, 24, 32, 48, 64, 128, 256, 512, 1024)}
    write_ico(images)
    write_icns(images)
    print(f"wrote {ICO.relative_to(ROOT)} and {ICNS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
