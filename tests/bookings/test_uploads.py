import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mockri.bookings.uploads import (
    DOCX,
    JOB_DESCRIPTION_TYPES,
    PDF,
    RESUME_TYPES,
    TXT,
    check_upload,
    clean_display_name,
)
from tests.fixtures import PDF_BYTES, docx_bytes


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_pdf_resume_is_accepted_by_its_content_whatever_its_name():
    checked = check_upload(upload(PDF_BYTES, "cv.docx"), allowed=RESUME_TYPES, what="resume")

    assert (checked.content_type, checked.extension, checked.display_name) == (PDF, "pdf", "cv.pdf")


def test_a_docx_resume_is_accepted():
    checked = check_upload(upload(docx_bytes(), "cv.docx"), allowed=RESUME_TYPES, what="resume")

    assert checked.content_type == DOCX


def test_plain_text_is_a_job_description_but_not_a_resume():
    text = "Senior backend engineer — payments. नमस्ते".encode()

    assert (
        check_upload(upload(text, "jd.txt"), allowed=JOB_DESCRIPTION_TYPES, what="x").content_type
        == TXT
    )
    with pytest.raises(ValidationError, match="must be a PDF or Word"):
        check_upload(upload(text, "cv.pdf"), allowed=RESUME_TYPES, what="resume")


def test_an_html_file_renamed_pdf_is_refused():
    page = b"<!DOCTYPE html><html><script>alert(1)</script></html>"

    with pytest.raises(ValidationError, match="contents are not"):
        check_upload(upload(page, "resume.pdf"), allowed=RESUME_TYPES, what="resume")
    with pytest.raises(ValidationError):
        check_upload(upload(page, "jd.txt"), allowed=JOB_DESCRIPTION_TYPES, what="job description")


@pytest.mark.parametrize(
    "lead", ["\ufeff", "\ufeff\ufeff \n", "\u200b", "\x0c"], ids=["bom", "boms", "zwsp", "ff"]
)
def test_markup_behind_invisible_characters_is_not_a_job_description(lead):
    page = (lead + "<html><body><script>alert(1)</script></body></html>").encode()

    with pytest.raises(ValidationError, match="contents are not"):
        check_upload(upload(page, "jd.txt"), allowed=JOB_DESCRIPTION_TYPES, what="job description")


def test_text_starting_with_a_byte_order_mark_is_still_a_job_description():
    text = "\ufeffSenior backend engineer, payments.".encode()

    checked = check_upload(upload(text, "jd.txt"), allowed=JOB_DESCRIPTION_TYPES, what="x")

    assert checked.content_type == TXT


def test_a_file_over_5_mb_is_refused_with_its_size(settings):
    big = PDF_BYTES + b"0" * (6 * 1024 * 1024)

    with pytest.raises(ValidationError, match=r"is 6\.0 MB; the limit is 5 MB"):
        check_upload(upload(big, "cv.pdf"), allowed=RESUME_TYPES, what="resume")


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_upload(upload(b"", "cv.pdf"), allowed=RESUME_TYPES, what="resume")


def test_a_docx_bomb_is_refused_without_unpacking_it():
    bomb = docx_bytes({"word/media/zeros.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # small on the wire

    with pytest.raises(ValidationError, match="expands to far more"):
        check_upload(upload(bomb, "cv.docx"), allowed=RESUME_TYPES, what="resume")


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", b"MZ")

    with pytest.raises(ValidationError, match="must be a PDF or Word"):
        check_upload(upload(buffer.getvalue(), "cv.docx"), allowed=RESUME_TYPES, what="resume")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('C:\\Users\\k\\my "cv"<script>.pdf', "my cvscript.pdf"),
        ("résumé\r\nX-Evil: 1.pdf", "résuméX-Evil 1.pdf"),
        (".pdf", "document.pdf"),
        ("", "document.pdf"),
    ],
)
def test_display_names_are_cleaned(name, expected):
    assert clean_display_name(name, "pdf") == expected
