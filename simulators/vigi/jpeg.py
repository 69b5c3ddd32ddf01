"""Per-channel test-pattern JPEGs (640x360, channel number drawn on colour bars)."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 640, 360
_BARS = (
    (192, 192, 192),
    (192, 192, 0),
    (0, 192, 192),
    (0, 192, 0),
    (192, 0, 192),
    (192, 0, 0),
    (0, 0, 192),
)


@functools.cache
def channel_jpeg(channel: int) -> bytes:
    """A real JPEG for the channel; built once, then served from the cache."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (16, 16, 16))
    draw = ImageDraw.Draw(image)
    bar = WIDTH // len(_BARS)
    for i, colour in enumerate(_BARS):
        draw.rectangle((i * bar, 0, (i + 1) * bar - 1, HEIGHT * 2 // 3), fill=colour)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(size=72)
    except (OSError, ImportError):  # pragma: no cover - Pillow without FreeType
        font = ImageFont.load_default()
    draw.text((24, HEIGHT * 2 // 3 + 16), f"CH {channel}", fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
