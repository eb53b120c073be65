#!/usr/bin/env python3
"""Draws the installable app's icons (webmail/static/icons/) with the standard library only.

Run once from the repository root; the PNGs are committed and compiled into the binary:
    python3 scripts/make-app-icons.py

The drawing is a white envelope with a health cross badge on the brand blue (#003b80):
- icon-<size>.png: rounded square, transparent corners (purpose "any");
- maskable-<size>.png: full bleed, the drawing inside the 40 % safe circle (purpose "maskable");
- apple-touch-icon.png: 180 px, full bleed and opaque (iOS paints transparency black);
- icon.svg: the same drawing as a vector, for browsers that take an SVG icon.
Edges are anti-aliased by supersampling each pixel.
"""
import math
import os
import struct
import zlib

BLUE = (0x00, 0x3B, 0x80)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = os.path.join(os.path.dirname(__file__), "..", "webmail", "static", "icons")


def rounded_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def near_segment(x, y, ax, ay, bx, by, w):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (w / 2) ** 2


def drawing(x, y):
    """Colour of the foreground at (x, y) in the unit square, or None."""
    # Badge: a blue ring separates it from the envelope, white disc, blue cross.
    bx, by = 0.72, 0.68
    d2 = (x - bx) ** 2 + (y - by) ** 2
    if d2 <= 0.16 ** 2:
        arm, half = 0.035, 0.10
        if (abs(x - bx) <= arm and abs(y - by) <= half) or (
            abs(y - by) <= arm and abs(x - bx) <= half
        ):
            return BLUE
        return WHITE
    if d2 <= 0.195 ** 2:
        return BLUE
    # Envelope with its flap drawn in blue.
    if rounded_rect(x, y, 0.18, 0.28, 0.82, 0.74, 0.04):
        if near_segment(x, y, 0.2, 0.3, 0.5, 0.52, 0.045) or near_segment(
            x, y, 0.5, 0.52, 0.8, 0.3, 0.045
        ):
            return BLUE
        return WHITE
    return None


def pixel(x, y, full_bleed, scale):
    """RGBA at (x, y) in the unit square."""
    if not full_bleed and not rounded_rect(x, y, 0.0, 0.0, 1.0, 1.0, 0.18):
        return (0, 0, 0, 0)
    fx, fy = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    c = drawing(fx, fy) or BLUE
    return (*c, 255)


def render(size, full_bleed, scale, samples=3):
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter type: none
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(samples):
                for si in range(samples):
                    x = (i + (si + 0.5) / samples) / size
                    y = (j + (sj + 0.5) / samples) / size
                    r, g, b, a = pixel(x, y, full_bleed, scale)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = samples * samples
            a = acc[3]
            if a == 0:
                row += bytes(4)
            else:
                row += bytes([round(acc[0] / a), round(acc[1] / a), round(acc[2] / a), round(a / n)])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img" aria-label="Santemail">
<rect width="100" height="100" rx="18" fill="#003b80"/>
<rect x="18" y="28" width="64" height="46" rx="4" fill="#fff"/>
<path d="M20 30 L50 52 L80 30" fill="none" stroke="#003b80" stroke-width="4.5" stroke-linecap="round" stroke-linejoin="round"/>
<circle cx="72" cy="68" r="19.5" fill="#003b80"/>
<circle cx="72" cy="68" r="16" fill="#fff"/>
<path d="M68.5 58h7v6.5h6.5v7h-6.5v6.5h-7v-6.5h-6.5v-7h6.5z" fill="#003b80"/>
</svg>
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    jobs = [
        ("icon-192.png", 192, False, 1.0),
        ("icon-512.png", 512, False, 1.0),
        ("maskable-192.png", 192, True, 0.7),
        ("maskable-512.png", 512, True, 0.7),
        ("apple-touch-icon.png", 180, True, 0.85),
    ]
    for name, size, full, scale in jobs:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(render(size, full, scale))
        print(name)
    with open(os.path.join(OUT, "icon.svg"), "w", encoding="utf-8") as f:
        f.write(SVG)
    print("icon.svg")


if __name__ == "__main__":
    main()
