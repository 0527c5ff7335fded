"""Each municipality's look on its pages: a colour for the header band and a logo.

The colour must keep white text on it readable (WCAG 2.1 AA: a contrast of at least 4.5:1),
so a municipality cannot make its own header illegible. A logo is uploaded as PNG or JPEG,
opened and redrawn by Pillow as a small PNG: nothing of the uploaded file but its pixels
reaches a browser (no SVG, no metadata, no script).
"""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5
LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_PIXELS = 4_000_000
LOGO_HEIGHT = 96  # pixels, twice the size it is shown at, for sharp screens


def _luminance(colour: str) -> float:
    def channel(part: str) -> float:
        c = int(part, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def validate_brand_colour(value: str) -> None:
    if not value:
        return
    if not HEX.match(value):
        raise ValidationError(_("Write the colour as # and six hexadecimal digits, e.g. #0b3d5c."))
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of %(ratio)s:1; at least 4.5:1 is "
                "needed to be readable (WCAG 2.1 AA). Choose a darker shade."
            )
            % {"ratio": f"{ratio:.1f}".replace(".", ",")}
        )


def logo_png(upload) -> bytes:
    """The uploaded logo redrawn as a PNG of LOGO_HEIGHT pixels' height, or a ValidationError
    saying why it cannot be used."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 1 MB."))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                raise ValidationError(_("Upload the logo as a PNG or JPEG picture."))
            if probe.width * probe.height > LOGO_MAX_PIXELS:
                raise ValidationError(_("The logo is too large; at most 4 million pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not a picture that can be read.")) from None
    width = max(1, round(picture.width * LOGO_HEIGHT / picture.height))
    if width > LOGO_HEIGHT * 6:
        raise ValidationError(_("The logo is too wide; at most six times its height."))
    out = io.BytesIO()
    picture.resize((width, LOGO_HEIGHT), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()
