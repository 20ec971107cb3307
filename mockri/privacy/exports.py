"""Access (DPDP Act s.11): a copy of everything Mockri holds about a person, as a ZIP of one
machine-readable JSON file and the files they uploaded, behind a link that works once, for
them only, for DATA_EXPORT_LINK_HOURS."""

import datetime
import json
import logging
import secrets
import shutil
import tempfile
import uuid
import zipfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse

from mockri.lib.errors import PolicyViolation
from mockri.lib.files import delete_stored_on_commit
from mockri.lib.tokens import token_digest
from mockri.notifications.services import email_queue

from .models import DataExport, DataExportStatus, PurgeLog
from .registry import ExportArchive, personal_data_modules

logger = logging.getLogger(__name__)

FORMAT = "mockri-personal-data/1"
BUILD_GIVEN_UP_AFTER = datetime.timedelta(hours=1)
README = """\
This is a copy of the personal data Mockri holds about you, made on {generated_at:%d %B %Y at
%H:%M} UTC.

data.json   everything we hold, grouped by the part of Mockri that keeps it: your account and
            consents, your bookings (with who opened your files and when), payments (reference
            IDs and amounts), feedback, the emails we sent you and your privacy requests.
            Times are in UTC (ISO 8601).
files/      the job descriptions, resumes and images you gave us, as they are stored.

Questions: {contact}
"""


def data_export_request(*, user, requested_by, now: datetime.datetime) -> DataExport:
    """Start building a copy of `user`'s data (asked by themselves or by staff for them).

    Raises PolicyViolation while an earlier copy is still being prepared (one that has not
    finished within BUILD_GIVEN_UP_AFTER is marked failed instead).
    Side effects: a DataExport row and its build task, committed together.
    """
    from .tasks import data_export_build_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    with transaction.atomic():
        # A build that never finished (its worker died) must not block a new request.
        DataExport.objects.filter(
            user=user, status=DataExportStatus.PREPARING, created_at__lt=now - BUILD_GIVEN_UP_AFTER
        ).update(status=DataExportStatus.FAILED)
        if DataExport.objects.filter(user=user, status=DataExportStatus.PREPARING).exists():
            raise PolicyViolation(
                "A copy of your data is already being prepared. We will email you when it is ready."
            )
        export = DataExport.objects.create(
            user=user,
            requested_by=requested_by,
            # Replaced by the real link's digest when the copy is ready; nobody holds this one.
            token_sha256=token_digest(secrets.token_urlsafe(32)),
        )
        data_export_build_task.enqueue(export_id=export.pk)
    return export


def personal_data_collect(*, user, now: datetime.datetime) -> tuple[dict, ExportArchive]:
    """Every app's part of what Mockri holds about `user`, and the stored files to include."""
    archive = ExportArchive()
    data = {"format": FORMAT, "generated_at": now}
    for label, module in personal_data_modules().items():
        data[label] = module.export(user=user, archive=archive)
    return data, archive


def _write_zip(destination, *, data: dict, archive: ExportArchive, now: datetime.datetime):
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr(
            "README.txt",
            README.format(generated_at=now, contact=settings.OPERATOR["email"]),
        )
        missing = []
        for name_in_zip, storage_name in archive.files:
            try:
                with (
                    default_storage.open(storage_name) as stored,
                    zip_file.open(name_in_zip, "w") as entry,
                ):
                    shutil.copyfileobj(stored, entry)
            except FileNotFoundError:
                missing.append(name_in_zip)  # purged meanwhile: say so rather than fail
        data["files_no_longer_stored"] = missing
        zip_file.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )


def data_export_build(*, export_id: int, now: datetime.datetime) -> DataExport | None:
    """Build the ZIP, store it privately and email its owner a one-time link.

    Side effects: the ZIP in private storage; the export READY with its link's digest and
    expiry; the "data export ready" email (the only place the link exists).
    """
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExportStatus.PREPARING:
        return None
    data, archive = personal_data_collect(user=export.user, now=now)
    with tempfile.TemporaryFile() as scratch:
        _write_zip(scratch, data=data, archive=archive, now=now)
        size = scratch.tell()
        scratch.seek(0)
        name = default_storage.save(f"exports/{uuid.uuid4().hex}.zip", File(scratch))
    token = secrets.token_urlsafe(32)
    expires_at = now + datetime.timedelta(hours=settings.DATA_EXPORT_LINK_HOURS)
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, status=DataExportStatus.PREPARING).update(
            status=DataExportStatus.READY,
            file=name,
            size=size,
            token_sha256=token_digest(token),
            ready_at=now,
            expires_at=expires_at,
        )
        if not updated:  # built twice at once, or the account was erased meanwhile
            transaction.on_commit(lambda: default_storage.delete(name))
            return None
        email_queue(
            "data_export_ready",
            recipient=export.user,
            booking=None,
            dedupe_key=f"data_export_ready:{export.pk}",
            context={
                "link": settings.SITE_URL
                + reverse("privacy:export_download", kwargs={"token": token}),
                "expires_at": expires_at,
            },
        )
    export.refresh_from_db()
    return export


def data_export_claim(*, user, token: str, now: datetime.datetime):
    """Use a download link: an open file of the ZIP when `token` is `user`'s own ready link, not
    expired and not used; the link is then used up and the stored ZIP deleted (the open file
    still reads). None for another person's token or an unknown one.

    Raises PolicyViolation when the link was used or has expired.
    Side effects: the export marked downloaded; its ZIP deleted from storage.
    """
    export = DataExport.objects.filter(user=user, token_sha256=token_digest(token)).first()
    if export is None:
        return None
    claimed = DataExport.objects.filter(
        pk=export.pk, status=DataExportStatus.READY, expires_at__gt=now
    ).update(status=DataExportStatus.DOWNLOADED, downloaded_at=now, file="")
    if not claimed:
        raise PolicyViolation(
            "This download link has already been used or has expired. You can ask for a new "
            "copy of your data."
        )
    try:
        opened = default_storage.open(export.file)
    except FileNotFoundError:
        logger.error("Data export %s: its ZIP is missing from storage", export.pk)
        raise PolicyViolation(
            "This copy of your data is no longer available. Please ask for a new one."
        ) from None
    default_storage.delete(export.file)
    return opened


def data_exports_expire(*, now: datetime.datetime) -> int:
    """Retention: delete the ZIPs whose link expired unused. Returns how many went."""
    rows = list(
        DataExport.objects.filter(status=DataExportStatus.READY, expires_at__lte=now).values_list(
            "pk", "file"
        )
    )
    if not rows:
        return 0
    with transaction.atomic():
        DataExport.objects.filter(pk__in=[pk for pk, _ in rows]).update(
            status=DataExportStatus.EXPIRED, file=""
        )
        PurgeLog.objects.create(what="copies of personal data not downloaded", count=len(rows))
        delete_stored_on_commit(name for _, name in rows if name)
    return len(rows)
