"""Profile photos: every upload is decoded and drawn again, so only pixels reach a page.

Re-encoding drops what a camera writes beside the picture (EXIF, GPS location, maker notes,
embedded thumbnails) and anything hidden in a file that merely starts like an image.
"""

import io
import warnings

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from mockri.lib.errors import DomainError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Cards show photos at 96 px and profiles at 240 px: 800 leaves room for sharp screens.
PHOTO_MAX_SIDE = 800
# A decompression bomb (a tiny file claiming a huge canvas) is refused before decoding.
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class PhotoRejected(DomainError):
    """The upload is not a photo we can use; the message says why, for the form."""


def photo_reencode(data: bytes) -> tuple[ContentFile, str]:
    """The upload as a fresh JPEG (or WebP where it has transparency) at most PHOTO_MAX_SIDE
    pixels a side, turned upright as the camera meant, and its content type.

    Raises PhotoRejected for a file that is too big, not a JPEG, PNG, GIF or WebP image, or
    damaged.
    """
    if len(data) > PHOTO_MAX_BYTES:
        raise PhotoRejected(f"The photo must be {PHOTO_MAX_BYTES // (1024 * 1024)} MB or smaller.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as source:
                if source.format not in PHOTO_FORMATS:
                    raise PhotoRejected("The photo must be a JPEG, PNG, GIF or WebP image.")
                if source.width * source.height > PHOTO_MAX_PIXELS:
                    raise PhotoRejected("The photo is too large: use one under 40 megapixels.")
                source.load()
                picture = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected("The photo must be a JPEG, PNG, GIF or WebP image.") from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoRejected("This image is damaged: export it again and retry.") from None
    picture.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    # A new image from the pixels alone: nothing of the upload's metadata comes along.
    clean = Image.new("RGBA" if transparent else "RGB", picture.size)
    clean.paste(picture.convert(clean.mode))
    out = io.BytesIO()
    if transparent:
        clean.save(out, format="WEBP", quality=85)
        return ContentFile(out.getvalue(), name="photo.webp"), "image/webp"
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg"), "image/jpeg"
