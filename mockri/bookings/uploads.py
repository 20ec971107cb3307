"""Checks on uploaded job descriptions and resumes: judged by their bytes, never their names.

A file passes only as one of the kinds allowed for its purpose, within the size limit, and (for
DOCX, a ZIP archive) without the traits of an archive bomb.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from .enums import FileKind

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TXT = "text/plain; charset=utf-8"

RESUME_TYPES = (PDF, DOCX)
JOB_DESCRIPTION_TYPES = (PDF, DOCX, TXT)
_EXTENSIONS = {PDF: "pdf", DOCX: "docx", TXT: "txt"}
_NAMES = {PDF: "PDF", DOCX: "Word (DOCX)", TXT: "plain text"}

# A real resume unpacks to a few megabytes; a bomb unpacks to gigabytes from a small file.
DOCX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_MAX_ENTRIES = 1000


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    display_name: str  # the uploaded name, cleaned for showing and for downloads
    size_bytes: int


def clean_display_name(name: str, extension: str) -> str:
    """A safe name to show and offer in downloads: no paths, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    stem = base.rsplit(".", 1)[0].strip(" .")[:100] or "document"
    return f"{stem}.{extension}"


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if _is_text(data):
        return TXT
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            if len(entries) > DOCX_MAX_ENTRIES:
                raise ValidationError("This Word file has an unusual structure and was refused.")
            unpacked = sum(entry.file_size for entry in entries)
            packed = max(sum(entry.compress_size for entry in entries), 1)
            if unpacked > DOCX_MAX_UNPACKED_BYTES or unpacked / packed > DOCX_MAX_RATIO:
                raise ValidationError(
                    "This Word file expands to far more than a document should, so it was refused."
                )
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise ValidationError(
                    "This Word file is password-protected. Please upload it without a password."
                )
            return True
    except zipfile.BadZipFile:
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Markup is not a job description: refusing it keeps HTML from ever being stored as text.
    head = _from_first_visible(text)[:200].lower()
    return not head.startswith(("<!doctype", "<html", "<script", "<svg", "<?xml"))


def _from_first_visible(text: str) -> str:
    """`text` from its first visible character: leading whitespace and invisible characters
    (a byte-order mark, a zero-width space, control characters) must not hide markup."""
    for index, character in enumerate(text):
        if not character.isspace() and unicodedata.category(character) not in ("Cc", "Cf"):
            return text[index:]
    return ""


# What each kind of booking file may be, and what to call it in messages.
KIND_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    FileKind.RESUME: (RESUME_TYPES, "resume"),
    FileKind.JOB_DESCRIPTION: (JOB_DESCRIPTION_TYPES, "job description"),
}


def check_size(size: int, *, what: str) -> None:
    """Raise ValidationError (code "too_large" or "empty") unless `size` bytes may be uploaded."""
    limit = settings.BOOKING_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"Your {what} is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{limit // 1024 // 1024} MB. Please upload a smaller file.",
            code="too_large",
        )
    if size == 0:
        raise ValidationError(f"Your {what} file is empty.", code="empty")


def check_upload_of_kind(uploaded, *, kind: str) -> CheckedUpload:
    """check_upload with the types and wording of a booking file's `kind`."""
    allowed, what = KIND_RULES[kind]
    return check_upload(uploaded, allowed=allowed, what=what)


def check_upload(uploaded, *, allowed: tuple[str, ...], what: str) -> CheckedUpload:
    """Validate an uploaded file for `what` ("resume", "job description"); raise ValidationError
    with a message the person can act on."""
    check_size(uploaded.size, what=what)
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    content_type = _sniff(data)
    if content_type not in allowed:
        kinds = " or ".join(_NAMES[kind] for kind in allowed)
        raise ValidationError(
            f"Your {what} must be a {kinds} file. This file's contents are not, whatever its name."
        )
    extension = _EXTENSIONS[content_type]
    return CheckedUpload(
        content_type=content_type,
        extension=extension,
        display_name=clean_display_name(uploaded.name or "", extension),
        size_bytes=len(data),
    )
