"""Booking files sent in parts before the form that uses them.

Vercel refuses request bodies over 4.5 MB, while a resume or job description may be 5 MB. So the
booking and correction forms' script (static/js/chunked-upload.js) sends each chosen file in
parts of at most UPLOAD_CHUNK_BYTES, one request each, then asks for it to be completed: the
parts are joined and checked exactly as a directly posted file is (uploads.check_upload), and
the upload's id becomes the token the form posts instead of the file. The form uses it once
(bookings/forms.py, services.uploads_consume). Without the script, forms post files directly.

Parts and joined files go through default_storage (disk or Blob) under
uploads/<owner id>/<upload id>/; anything not used within UPLOAD_KEPT is deleted by the
retention purge (uploads_expire).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, QuerySet

from mockri.accounts.models import User
from mockri.lib.errors import DomainError

from .enums import UploadStatus
from .models import Upload
from .uploads import KIND_RULES, CheckedUpload, check_size, check_upload_of_kind

# How long an upload may wait for its parts and then for its form.
UPLOAD_KEPT = datetime.timedelta(days=1)
# Uploads one person may have open (unfinished or unused) at once: each holds up to 5 MB.
UPLOAD_MAX_OPEN = 10


class UploadRefused(DomainError):
    """The upload request cannot be taken; `status` is the HTTP status that says why."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


GONE = "This upload has expired or was already used. Please choose the file again."


def upload_start(
    *, owner: User, kind: str, size_bytes: int, name: str, now: datetime.datetime
) -> Upload:
    """Begin an upload of a `kind` file of `size_bytes`, to arrive in parts of
    UPLOAD_CHUNK_BYTES. Refused (nothing stored) for an unknown kind, a size the file checks
    would refuse, or a person with UPLOAD_MAX_OPEN uploads open.

    Side effects: the Upload row.
    """
    if kind not in KIND_RULES:
        raise UploadRefused("Uploads are for a resume or a job description.", status=400)
    try:
        check_size(size_bytes, what=KIND_RULES[kind][1])
    except ValidationError as error:
        raise UploadRefused(
            error.messages[0], status=413 if error.code == "too_large" else 400
        ) from None
    with transaction.atomic():
        # The owner's row serialises their starts, so the cap holds under concurrent requests.
        User.objects.select_for_update().filter(pk=owner.pk).first()
        if _open_uploads(owner=owner, now=now).count() >= UPLOAD_MAX_OPEN:
            raise UploadRefused(
                "You have many uploads waiting to be used. Please submit your form, or wait a "
                "day, before uploading more files.",
                status=429,
            )
        return Upload.objects.create(
            owner=owner,
            kind=kind,
            size_bytes=size_bytes,
            part_size_bytes=settings.UPLOAD_CHUNK_BYTES,
            name=name[:200],
            created_at=now,
        )


def upload_part_add(
    *, owner: User, upload_id: uuid.UUID, number: int, part, now: datetime.datetime
) -> Upload:
    """Store part `number` (counting from 0) of the owner's upload. Parts come one at a time, in
    order, each exactly its agreed size; anything else is refused and stores nothing.

    Side effects: the part stored as uploads/<owner>/<upload>/<number>; parts_received + 1.
    """
    with transaction.atomic():
        upload = _lock_open(owner=owner, upload_id=upload_id, now=now)
        if number >= upload.part_count:
            raise UploadRefused(
                f"This upload has {upload.part_count} parts, numbered from 0; there is no part "
                f"{number}.",
                status=400,
            )
        if number != upload.parts_received:
            already = number < upload.parts_received
            raise UploadRefused(
                f"Part {number} was already received."
                if already
                else f"Part {number} came before part {upload.parts_received}: send the parts "
                "in order.",
                status=409,
            )
        if part.size != upload.part_size(number):
            raise UploadRefused(
                f"Part {number} must be {upload.part_size(number)} bytes, not {part.size}.",
                status=400,
            )
        name = upload.part_name(number)
        # The part's row is locked, so only a failed earlier attempt can have left a file here.
        default_storage.delete(name)
        try:
            default_storage.save(name, part)
            Upload.objects.filter(pk=upload.pk).update(parts_received=F("parts_received") + 1)
        except BaseException:
            default_storage.delete(name)
            raise
    upload.parts_received += 1
    return upload


def upload_complete(*, owner: User, upload_id: uuid.UUID, now: datetime.datetime) -> Upload:
    """Join the owner's received parts and check the file as a directly posted one is checked.
    Passed, it waits (UPLOAD_KEPT at most) for a form to use it; refused (422, with the check's
    message), the upload is deleted with its parts.

    Side effects: the joined file stored as uploads/<owner>/<upload>/file, the row complete with
    the checked name, the parts deleted once committed; or, refused, the row and parts deleted.
    """
    with transaction.atomic():
        upload = _lock_open(owner=owner, upload_id=upload_id, now=now)
        if upload.parts_received != upload.part_count:
            raise UploadRefused(
                f"Only {upload.parts_received} of this upload's {upload.part_count} parts have "
                "arrived.",
                status=409,
            )
        parts = [upload.part_name(number) for number in range(upload.part_count)]
        data = b"".join(_read(name) for name in parts)
        joined = ContentFile(data, name=upload.name)
        try:
            checked = check_upload_of_kind(joined, kind=upload.kind)
        except ValidationError as error:
            refusal = error.messages[0]
            _delete(Upload.objects.filter(pk=upload.pk))
        else:
            refusal = ""
            name = default_storage.save(f"{upload.prefix}/file", joined)
            try:
                upload.status = UploadStatus.COMPLETE
                upload.file = name
                upload.name = checked.display_name
                upload.completed_at = now
                upload.save(update_fields=["status", "file", "name", "completed_at"])
            except BaseException:
                default_storage.delete(name)
                raise
            transaction.on_commit(lambda: [default_storage.delete(part) for part in parts])
    if refusal:
        raise UploadRefused(refusal, status=422)
    return upload


def upload_for_form(
    *, owner: User, token: str, kind: str, now: datetime.datetime
) -> tuple[Upload, ContentFile, CheckedUpload]:
    """The owner's completed, unused upload of `kind` named by `token`, read back and checked
    again, for a form to pass on as the file it stands for. Raises ValidationError when there is
    none (another's, another kind, unfinished, used or expired: all alike to the person)."""
    try:
        upload_id = uuid.UUID(token)
    except ValueError:
        raise ValidationError(GONE) from None
    upload = _open_uploads(owner=owner, now=now).filter(
        pk=upload_id, kind=kind, status=UploadStatus.COMPLETE
    )
    upload = upload.first()
    if upload is None:
        raise ValidationError(GONE)
    try:
        data = _read(upload.file)
    except FileNotFoundError:
        raise ValidationError(GONE) from None
    uploaded = ContentFile(data, name=upload.name)
    return upload, uploaded, check_upload_of_kind(uploaded, kind=kind)


def uploads_consume(*, owner: User, upload_ids: list[uuid.UUID]) -> None:
    """Use up the owner's completed uploads, inside the transaction that stores what they became.
    Raises DomainError when one was used meanwhile (the same form posted twice).

    Side effects: the rows deleted; their files deleted once committed.
    """
    if not upload_ids:
        return
    uploads = Upload.objects.filter(pk__in=upload_ids, owner=owner, status=UploadStatus.COMPLETE)
    if _delete(uploads) != len(set(upload_ids)):
        raise DomainError(GONE)


def uploads_expire(*, now: datetime.datetime) -> int:
    """Delete uploads older than UPLOAD_KEPT, finished or not: their parts or files were never
    used. Returns how many.

    Side effects: the rows deleted; their stored parts and files deleted once committed.
    """
    with transaction.atomic():
        return _delete(Upload.objects.filter(created_at__lte=now - UPLOAD_KEPT))


def uploads_delete_of(*, owner: User) -> int:
    """Delete everything the person uploaded and has not used (erasure)."""
    with transaction.atomic():
        return _delete(Upload.objects.filter(owner=owner))


def _open_uploads(*, owner: User, now: datetime.datetime) -> QuerySet[Upload]:
    return Upload.objects.filter(owner=owner, created_at__gt=now - UPLOAD_KEPT)


def _lock_open(*, owner: User, upload_id: uuid.UUID, now: datetime.datetime) -> Upload:
    """The owner's upload still taking parts, locked for this transaction; someone else's is
    unknown (404), an expired one gone (410), a completed one finished (409)."""
    upload = Upload.objects.select_for_update().filter(pk=upload_id, owner=owner).first()
    if upload is None:
        raise UploadRefused("There is no such upload.", status=404)
    if upload.created_at <= now - UPLOAD_KEPT:
        raise UploadRefused(GONE, status=410)
    if upload.status != UploadStatus.RECEIVING:
        raise UploadRefused("This upload is already complete.", status=409)
    return upload


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _delete(uploads: QuerySet[Upload]) -> int:
    """Delete these rows, and once committed every part or file they may have stored."""
    names = []
    for upload in uploads:
        names += [upload.part_name(number) for number in range(upload.parts_received)]
        if upload.file:
            names.append(upload.file)
    deleted, _ = uploads.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return deleted
