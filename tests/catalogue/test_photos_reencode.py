"""catalogue.photos: what survives of an uploaded photo is its pixels."""

import io

import pytest
from PIL import Image

from mockri.catalogue.photos import PHOTO_MAX_SIDE, PhotoRejected, photo_reencode

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112


def jpeg_with_location(*, size=(64, 48), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "PhoneCam"
    if orientation:
        exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (12.0, 58.0, 13.0), 3: "E", 4: (77.0, 35.0, 40.0)})
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_taken_with_its_location_keeps_no_location_nor_camera_details():
    original = jpeg_with_location()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the fixture really carries a location

    content, content_type = photo_reencode(original)

    data = content.read()
    with Image.open(io.BytesIO(data)) as after:
        assert (after.format, content_type) == ("JPEG", "image/jpeg")
        assert dict(after.getexif()) == {}
        assert "exif" not in after.info
    assert b"PhoneCam" not in data


def test_a_big_photo_is_scaled_down_to_the_cap_keeping_its_shape():
    content, _ = photo_reencode(jpeg_with_location(size=(3200, 1600)))

    with Image.open(content) as image:
        assert image.size == (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE // 2)


def test_a_sideways_camera_photo_is_turned_upright_before_its_orientation_is_dropped():
    content, _ = photo_reencode(jpeg_with_location(size=(60, 40), orientation=6))

    with Image.open(content) as image:
        assert image.size == (40, 60)


def test_a_transparent_png_becomes_a_webp_keeping_its_transparency():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")

    content, content_type = photo_reencode(out.getvalue())

    with Image.open(content) as image:
        assert (image.format, image.mode, content_type) == ("WEBP", "RGBA", "image/webp")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg onload=alert(1)>", "must be a JPEG, PNG, GIF or WebP image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "must be a JPEG, PNG, GIF or WebP image"),
        (jpeg_with_location()[:200], "damaged"),
        (b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024), "5 MB or smaller"),
    ],
    ids=["svg", "png-header-only", "truncated-jpeg", "too-big"],
)
def test_what_is_not_a_usable_image_is_refused_with_the_reason(data, message):
    with pytest.raises(PhotoRejected) as refusal:
        photo_reencode(data)

    assert message in refusal.value.message


def test_a_bmp_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="BMP")

    with pytest.raises(PhotoRejected):
        photo_reencode(out.getvalue())
