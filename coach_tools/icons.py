"""The skill's store icons, drawn here so the project owns them: ``python -m coach_tools.icons content/icons``
writes ``small.png`` (108 by 108) and ``large.png`` (512 by 512). A teal square with a column of five vertebrae, inside
the circle Alexa crops icons to."""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

SIZES = {"small.png": 108, "large.png": 512}
TEAL, DEEP, WHITE = (23, 122, 134), (12, 74, 88), (250, 250, 247)


def _rounded_box(x: float, y: float, half_w: float, half_h: float, radius: float) -> float:
    """Signed distance from (x, y) to a rounded rectangle centred on the origin (negative inside)."""
    qx, qy = abs(x) - half_w + radius, abs(y) - half_h + radius
    return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - radius


def _pixel(u: float, v: float, pixel: float) -> tuple[int, int, int]:
    """The colour at (u, v) in a unit tile, with edges smoothed over one pixel."""
    shade = [d + (t - d) * (1 - v) for t, d in zip(TEAL, DEEP, strict=True)]
    ink = 0.0
    for i in range(5):  # vertebrae along a gentle curve, widest at the bottom
        cy = 0.2 + i * 0.15
        cx = 0.5 + 0.05 * math.sin((cy - 0.2) * math.pi * 1.6)
        w = 0.13 + 0.025 * i
        ink = max(ink, min(max(0.5 - _rounded_box(u - cx, v - cy, w, 0.05, 0.04) / pixel, 0.0), 1.0))
    colour = [round(s + (w - s) * ink) for s, w in zip(shade, WHITE, strict=True)]
    return colour[0], colour[1], colour[2]


def png(size: int) -> bytes:
    rows = b"".join(b"\0" + bytes(channel for x in range(size)
                                  for channel in _pixel((x + 0.5) / size, (y + 0.5) / size, 1 / size))
                    for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, opaque: Alexa crops icons to a circle
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "content/icons")
    out.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        (out / name).write_bytes(png(size))
        print(out / name)
