"""Reading an uploaded job description's text, for suggesting focus skills."""

import io
import zipfile

from mockri.bookings.uploads import DOCX, PDF, TXT
from mockri.feedback.jd_text import document_text
from tests.feedback.conftest import pdf_with_text
from tests.fixtures import docx_bytes


def test_a_pdf_gives_the_text_of_its_pages():
    assert document_text(pdf_with_text("Python and Kubernetes"), content_type=PDF) == (
        "Python and Kubernetes"
    )


def test_a_docx_gives_its_paragraphs_without_markup_and_with_entities_decoded():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>Go &amp; Kafka</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>System design</w:t></w:r></w:p></w:body></w:document>",
        )

    assert document_text(buffer.getvalue(), content_type=DOCX) == "Go & Kafka\nSystem design\n"


def test_plain_text_is_decoded_as_utf8():
    assert document_text("Kotlin – Android".encode(), content_type=TXT) == "Kotlin – Android"


def test_a_damaged_pdf_gives_no_text_and_does_not_raise():
    assert document_text(b"%PDF-1.7 not really", content_type=PDF) == ""


def test_a_docx_without_a_body_gives_no_text():
    assert (
        document_text(docx_bytes(), content_type=DOCX).strip() == "Kavya Sharma, backend engineer"
    )
    assert document_text(b"PK\x03\x04broken", content_type=DOCX) == ""


def test_an_unknown_kind_gives_no_text():
    assert document_text(b"GIF89a", content_type="image/gif") == ""
