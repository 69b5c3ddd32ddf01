"""Files the IPC links to (snapshots, face pictures, video clips) and their auth_key.

URLs look like the seed's: ``https://<ip>/tmp/snapshot/FM0101122334455_20190726162335.jpg
?auth_key=1564129415-215f61f3c5f552c5bf8f43ccef5c66a9`` -- the number is the creation time
(it matches the file name in every example), then 32 hex digits.  Here the digits are
MD5("<path>-<time>-<device secret>") and a key is good for AUTH_KEY_TTL seconds
(ASSUMPTION: the seed says nothing about expiry).  A wrong or expired key gets 403.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

AUTH_KEY_TTL = 3600
MAX_FILES = 64
_AUTH_KEY = re.compile(r"([0-9]{10})-([0-9a-f]{32})")
# An FLV header with audio+video flags and PreviousTagSize0, no tags.
FLV_BYTES = b"FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00"
RECORD_PATH = re.compile(r"/mnt/sd-card/sunmi_video/video_plan/[0-9]{14}_[0-9]{14}\.flv")


@dataclass
class MediaFile:
    """A served file."""

    data: bytes
    content_type: str
    created: int
    available_at: float = 0.0  # time.time() before which the link answers 404


def jpeg(lines: list[str], size: tuple[int, int] = (640, 360)) -> bytes:
    """A real JPEG: colour bars with a few lines of text."""
    width, height = size
    image = Image.new("RGB", size, (20, 24, 28))
    draw = ImageDraw.Draw(image)
    colours = ((200, 200, 200), (200, 200, 0), (0, 200, 200), (0, 200, 0), (200, 0, 200))
    bar = width // len(colours)
    for i, colour in enumerate(colours):
        draw.rectangle((i * bar, 0, (i + 1) * bar - 1, height // 2), fill=colour)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(size=28)
    except (OSError, ImportError):  # pragma: no cover - Pillow without FreeType
        font = ImageFont.load_default()
    for row, line in enumerate(lines):
        draw.text((16, height // 2 + 12 + row * 34), line, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


class MediaStore:
    """Recently created files by path, and the auth_key rule."""

    def __init__(self) -> None:
        """Start empty with a fresh per-device secret."""
        self._secret = os.urandom(16).hex()
        self._files: OrderedDict[str, MediaFile] = OrderedDict()

    def auth_key(self, path: str, created: int) -> str:
        """``<created>-<md5 hex>`` for a path."""
        digest = hashlib.md5(
            f"{path}-{created}-{self._secret}".encode(), usedforsecurity=False
        ).hexdigest()
        return f"{created}-{digest}"

    def add(
        self,
        path: str,
        data: bytes,
        content_type: str,
        *,
        created: int | None = None,
        delay: float = 0.0,
    ) -> str:
        """Store a file; returns ``path?auth_key=...``."""
        created = int(time.time()) if created is None else created
        self._files[path] = MediaFile(data, content_type, created, time.time() + delay)
        self._files.move_to_end(path)
        while len(self._files) > MAX_FILES:
            self._files.popitem(last=False)
        return f"{path}?auth_key={self.auth_key(path, created)}"

    def link(self, path: str, created: int) -> str:
        """``path?auth_key=...`` for a file served on demand (record list)."""
        return f"{path}?auth_key={self.auth_key(path, created)}"

    def get(self, path: str, auth_key: str, now: float | None = None) -> MediaFile | int:
        """The file, or the HTTP status to answer (403 bad key, 404 unknown/not yet)."""
        now = time.time() if now is None else now
        match = _AUTH_KEY.fullmatch(auth_key)
        if match is None or auth_key != self.auth_key(path, int(match[1])):
            return 403
        if now - int(match[1]) > AUTH_KEY_TTL:
            return 403
        item = self._files.get(path)
        if item is None and RECORD_PATH.fullmatch(path):
            item = MediaFile(FLV_BYTES, "video/x-flv", int(match[1]))
        if item is None or now < item.available_at:
            return 404
        return item

    def clear(self) -> None:
        """Forget every file (factory reset)."""
        self._files.clear()
