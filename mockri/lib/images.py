"""Recognise the image formats we accept (profile photos), by their bytes, never their names."""

# Magic numbers of JPEG, PNG and GIF; WebP is a RIFF container with its own tag at offset 8.
_SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"GIF87a": ("image/gif", "gif"),
    b"GIF89a": ("image/gif", "gif"),
}


def image_type(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG, GIF or WebP image, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("image/webp", "webp")
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None
