"""The text of an uploaded job description (PDF, DOCX or plain text, as the booking form
accepts), read here for suggesting focus skills. A file that cannot be read gives "": the
interviewer then writes the focus skills themselves."""

import html
import io
import logging
import re
import zipfile

from pypdf import PdfReader

from mockri.bookings.uploads import DOCX, PDF, TXT

from .skills import TEXT_MAX_CHARS

logger = logging.getLogger(__name__)

# A job description is a page or two; a longer file is read only this far.
PDF_MAX_PAGES = 10
_DOCX_PARAGRAPH_END = re.compile(r"</w:p>|<w:br\s*/>|<w:tab\s*/>")
_XML_TAG = re.compile(r"<[^>]*>")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    parts = []
    for page in reader.pages[:PDF_MAX_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > TEXT_MAX_CHARS:
            break
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    # The upload check refused archive bombs; the body is read as text, never parsed as XML
    # with entities, so no markup in it can expand.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8", errors="replace")
    return html.unescape(_XML_TAG.sub("", _DOCX_PARAGRAPH_END.sub("\n", body)))


_READERS = {PDF: _pdf_text, DOCX: _docx_text, TXT: lambda data: data.decode("utf-8", "replace")}


def document_text(data: bytes, *, content_type: str) -> str:
    """The text of a stored job description, or "" when its kind is unknown or it cannot be
    read (a scanned PDF has no text; a damaged file raises inside the reader)."""
    reader = _READERS.get(content_type)
    if reader is None:
        return ""
    try:
        return reader(data)[:TEXT_MAX_CHARS]
    except Exception as error:  # any reader failure just means no suggestions
        logger.warning("Could not read a job description's text: %s", type(error).__name__)
        return ""
