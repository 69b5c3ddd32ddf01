"""Draw the integration's brand images (icon.png, logo.png, 256x256) with Pillow.

Run `python -m scripts.brand` to regenerate custom_components/business_cameras/brand/.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "business_cameras" / "brand"
SIZE = 256
BLUE = (3, 169, 244, 255)
WHITE = (255, 255, 255, 255)


def draw_icon() -> Image.Image:
    """A dome-less bullet camera on a round blue badge."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=BLUE)
    draw.rounded_rectangle((54, 92, 170, 156), radius=14, fill=WHITE)  # camera body
    draw.polygon([(170, 108), (206, 88), (206, 160), (170, 140)], fill=WHITE)  # lens hood
    draw.rectangle((100, 156, 116, 190), fill=WHITE)  # mount
    draw.rounded_rectangle((76, 186, 140, 198), radius=5, fill=WHITE)  # base
    draw.ellipse((70, 110, 98, 138), fill=BLUE)  # status light
    return image


def main() -> None:
    """Write icon.png and logo.png."""
    BRAND.mkdir(exist_ok=True)
    icon = draw_icon()
    icon.save(BRAND / "icon.png", optimize=True)
    icon.save(BRAND / "logo.png", optimize=True)


if __name__ == "__main__":
    main()
