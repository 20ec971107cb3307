"""Retention (personal data kept only as long as the privacy policy says), grievances and
breach notices."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from mockri.accounts.models import User, normalize_email
from mockri.accounts.services import sessions_expire
from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import BookingFile
from mockri.bookings.ratelimits import rate_limit_counts_expire
from mockri.bookings.upload_services import uploads_expire
from mockri.interviewers.services import applications_purge
from mockri.lib.errors import DomainError, PolicyViolation
from mockri.lib.files import delete_stored_on_commit
from mockri.notifications.services import email_queue
from mockri.preparation.services import interview_dates_purge

from .erasure import (
    account_erase,
    account_erasures_unfinished,
    consent_withdraw,
    inactive_accounts_sweep,
)
from .exports import data_export_request, data_exports_expire, token_digest
from .models import (
    BreachDataKind,
    BreachIncident,
    BreachNotice,
    DataExport,
    Grievance,
    GrievanceKind,
    GrievanceStatus,
    Nominee,
    PurgeLog,
)
from .selectors import (
    breach_affected_users,
    grievance_account_to_act_for,
    grievance_requester,
)


def _purge(files, *, what: str) -> int:
    rows = list(files.select_related("booking").values_list("pk", "file", "booking__reference"))
    if not rows:
        return 0
    with transaction.atomic():
        BookingFile.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
        PurgeLog.objects.create(
            what=what,
            count=len(rows),
            detail=", ".join(sorted({reference for _, _, reference in rows})),
        )
        names = [name for _, name, _ in rows]
        delete_stored_on_commit(names)
    return len(rows)


def retention_purge(*, now: datetime.datetime) -> dict:
    """Delete job descriptions and resumes FILE_RETENTION_DAYS after their session ended, and
    those of expired or cancelled bookings a day after. Each purge is logged.

    Side effects: BookingFile rows and stored files deleted; PurgeLog rows.
    """
    kept_until = now - datetime.timedelta(days=settings.FILE_RETENTION_DAYS)
    a_day_ago = now - datetime.timedelta(days=1)
    return {
        "after the session": _purge(
            BookingFile.objects.filter(
                booking__ends_at__lte=kept_until,
                booking__status__in=[
                    BookingStatus.COMPLETED,
                    BookingStatus.NO_SHOW,
                    BookingStatus.CONFIRMED,
                ],
            ),
            what=f"files {settings.FILE_RETENTION_DAYS} days after the session",
        ),
        "not held": _purge(
            BookingFile.objects.filter(
                booking__status__in=[BookingStatus.EXPIRED, BookingStatus.CANCELLED],
                booking__updated_at__lte=a_day_ago,
            ),
            what="files of expired or cancelled bookings",
        ),
    }


def retention_run(*, now: datetime.datetime) -> dict:
    """Everything retention does, on its schedule or when staff run it: files past their time,
    files sent ahead of a form and never used (after a day), download links past theirs,
    declined interviewer applications past theirs, real interview dates past their grace period,
    inactive accounts, expired sessions, and deleted accounts whose erasure task was lost (queued
    again).

    Side effects: those of retention_purge, uploads_expire, data_exports_expire,
    applications_purge, interview_dates_purge, inactive_accounts_sweep, rate_limit_counts_expire
    and sessions_expire; erasure tasks.
    """
    from .tasks import account_erase_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    unfinished = account_erasures_unfinished(now=now)
    for user_id in unfinished:
        account_erase_task.enqueue(user_id=user_id)
    return {
        "files": retention_purge(now=now),
        "unused uploads": uploads_expire(now=now),
        "expired copies of personal data": data_exports_expire(now=now),
        "declined interviewer applications": applications_purge(now=now),
        "interview dates past": interview_dates_purge(now=now),
        "inactive accounts": inactive_accounts_sweep(now=now),
        "rate limit counts": rate_limit_counts_expire(now=now),
        "expired sessions": sessions_expire(now=now),
        "erasures resumed": len(unfinished),
    }


# How long the link confirming a privacy request, emailed to the account's address, works.
GRIEVANCE_CONFIRM_LINK_VALID = datetime.timedelta(days=3)


def grievance_submit(
    *, user, name: str, email: str, kind: str, message: str, now: datetime.datetime
) -> Grievance:
    """File a privacy request or grievance and acknowledge it by email.

    A request naming a registered account's address counts as its owner's only when made
    while signed in as that account; otherwise its owner is asked to confirm it, by a one-time
    link emailed to the registered address (grievance_confirm).
    Side effects, committed together: the ticket (reference, due date GRIEVANCE_RESPONSE_DAYS
    later, verified when the signed-in owner made it); its acknowledgement in the outbox, which
    repeats the typed name only to a signed-in person's own address; the "grievance_confirm"
    email when another account's owner must confirm it.
    """
    signed_in = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        grievance = Grievance.objects.create(
            reference=_new_reference(),
            user=signed_in,
            name=name,
            email=email,
            kind=kind,
            message=message,
            due_at=now + datetime.timedelta(days=settings.GRIEVANCE_RESPONSE_DAYS),
        )
        account = grievance_requester(grievance=grievance)
        if account is not None and signed_in is not None and account.pk == signed_in.pk:
            grievance.verified_at = now
            grievance.save(update_fields=["verified_at"])
        elif account is not None:
            _grievance_confirmation_send(grievance=grievance, account=account, now=now)
        email_queue(
            "grievance_received",
            recipient=grievance.user,
            to_address=email,
            booking=None,
            dedupe_key=f"grievance_received:{grievance.reference}",
            context=_grievance_email_context(grievance),
        )
    return grievance


def _grievance_email_context(grievance: Grievance) -> dict:
    # An email without a recipient account goes to an address nobody proved is theirs: it must
    # not carry words a stranger typed (the name) under Mockri's name.
    return {"grievance": grievance, "name": grievance.name if grievance.user_id else ""}


def _grievance_confirmation_send(
    *, grievance: Grievance, account: User, now: datetime.datetime
) -> None:
    token = secrets.token_urlsafe(32)
    grievance.confirm_token_sha256 = token_digest(token)
    grievance.confirm_expires_at = now + GRIEVANCE_CONFIRM_LINK_VALID
    grievance.save(update_fields=["confirm_token_sha256", "confirm_expires_at"])
    email_queue(
        "grievance_confirm",
        recipient=account,
        booking=None,
        dedupe_key=f"grievance_confirm:{grievance.reference}",
        context={
            "grievance": grievance,
            "link": settings.SITE_URL + reverse("privacy:grievance_confirm", args=[token]),
            "expires_at": grievance.confirm_expires_at,
        },
    )


def grievance_confirm(*, token: str, now: datetime.datetime) -> Grievance | None:
    """The owner of the account a request names opened the link emailed to its registered
    address and confirmed: the request is now theirs, and staff may act on it. None for an
    unknown link.

    Raises PolicyViolation when the link was used or has expired, or the account is gone.
    Side effects: the grievance's `verified_at`, and its `user` set to that account.
    """

    grievance = Grievance.objects.filter(confirm_token_sha256=token_digest(token)).first()
    if grievance is None:
        return None
    account = grievance_requester(grievance=grievance)
    if account is None:
        raise PolicyViolation("There is no longer an account registered with this address.")
    claimed = Grievance.objects.filter(
        pk=grievance.pk, verified_at__isnull=True, confirm_expires_at__gt=now
    ).update(verified_at=now, user=account)
    if not claimed:
        raise PolicyViolation(
            "This link has already been used or has expired. If you still want us to act on "
            "your account, send your request again, or sign in and send it from your account."
        )
    grievance.refresh_from_db()
    return grievance


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "GRV-" + "".join(secrets.choice(alphabet) for _ in range(6))


def grievance_answer(
    *, grievance: Grievance, reply: str, status: str, now: datetime.datetime
) -> Grievance:
    """Staff answer (or close) a grievance. Side effects: the reply is emailed to the person,
    once per distinct reply."""

    with transaction.atomic():
        grievance.reply = reply
        grievance.status = status
        if status == GrievanceStatus.CLOSED and grievance.closed_at is None:
            grievance.closed_at = now
        grievance.save(update_fields=["reply", "status", "closed_at"])
        if reply.strip():
            digest = hashlib.sha256(reply.encode()).hexdigest()[:16]
            email_queue(
                "grievance_answered",
                recipient=grievance.user,
                to_address=grievance.email,
                booking=None,
                dedupe_key=f"grievance_answered:{grievance.reference}:{digest}",
                context=_grievance_email_context(grievance),
            )
    return grievance


# What each kind of request lets staff do for the account that provably made it.
GRIEVANCE_EXPORT_KINDS = {GrievanceKind.ACCESS}
GRIEVANCE_ERASURE_KINDS = {GrievanceKind.ERASURE, GrievanceKind.WITHDRAW_CONSENT}


def grievance_export_start(
    *, grievance: Grievance, requested_by: User, now: datetime.datetime
) -> DataExport:
    """Email the person a copy of their data, for their access request: staff's side of it,
    from the admin or the console.

    Raises PolicyViolation, with the request's reference, when the request does not allow it
    (grievance_account_to_act_for) or a copy is already being prepared.
    Side effects: data_export_request's (the export row and its build task; the link goes to
    the account's address when ready).
    """
    user = grievance_account_to_act_for(grievance=grievance, kinds=GRIEVANCE_EXPORT_KINDS)
    try:
        return data_export_request(user=user, requested_by=requested_by, now=now)
    except PolicyViolation as refusal:
        raise PolicyViolation(f"{grievance.reference}: {refusal.message}") from refusal


def grievance_erasure_start(
    *, grievance: Grievance, requested_by: User, now: datetime.datetime
) -> User:
    """Delete the account whose owner asked for it (or withdrew consent) in this request;
    returns the account.

    Raises PolicyViolation, with the request's reference, when the request does not allow it
    (grievance_account_to_act_for).
    Side effects: consent_withdraw's or account_erase's (upcoming sessions cancelled with their
    emails and refunds, the account closed, every session ended, the erasure task).
    """
    user = grievance_account_to_act_for(grievance=grievance, kinds=GRIEVANCE_ERASURE_KINDS)
    erase = consent_withdraw if grievance.kind == GrievanceKind.WITHDRAW_CONSENT else account_erase
    erase(
        user=user,
        requested_by=requested_by,
        reason=f"At your written request {grievance.reference}.",
        now=now,
    )
    return user


def breach_incident_create(
    *,
    description: str,
    window_start: datetime.datetime,
    window_end: datetime.datetime,
    discovered_at: datetime.datetime,
    data_kinds: list[str],
    consequences: str,
    mitigation: str,
    user_steps: str,
    created_by: User | None,
) -> BreachIncident:
    """Record a personal data breach, ready for `breach_notify`. Raises DomainError when the
    window is backwards, a kind is unknown, a part of the notice is empty, or an incident with
    the same window and kinds exists.

    Side effects: the BreachIncident row.
    """
    texts = {
        "what happened": description,
        "the likely consequences": consequences,
        "what Mockri did about it": mitigation,
        "what people can do": user_steps,
    }
    if missing := [name for name, text in texts.items() if not text.strip()]:
        raise DomainError(f"The notice needs {', '.join(missing)}.")
    if window_start >= window_end:
        raise DomainError("The window must end after it starts.")
    if not data_kinds:
        raise DomainError("Name at least one kind of data.")
    if unknown := set(data_kinds) - set(BreachDataKind.values):
        raise DomainError(f"Unknown kinds of data: {', '.join(sorted(unknown))}.")
    kinds = [kind for kind in BreachDataKind.values if kind in data_kinds]
    # Running the command again must not tell everyone twice under a second incident.
    for same in BreachIncident.objects.filter(window_start=window_start, window_end=window_end):
        if same.data_kinds == kinds:
            raise DomainError(
                f"Incident {same.reference} already covers this window and data. To tell anyone "
                "not yet told, use its 'Send notices' action in the admin."
            )
    return BreachIncident.objects.create(
        description=description.strip(),
        window_start=window_start,
        window_end=window_end,
        discovered_at=discovered_at,
        data_kinds=kinds,
        consequences=consequences.strip(),
        mitigation=mitigation.strip(),
        user_steps=user_steps.strip(),
        created_by=created_by,
    )


def breach_notify(*, incident: BreachIncident, now: datetime.datetime) -> dict[str, int]:
    """Tell everyone the incident affected (DPDP s.8(6), Rule 7(1)): once each, however often
    it runs. People who erased their account since the window cannot be told and are counted.

    Side effects, committed together: per person not yet told, a BreachNotice (shown in a banner
    on every page until they acknowledge it) and a "breach_notice" email in the outbox (none
    when their address bounced); the incident's `notified_at` on the first run.
    Returns counts: affected, notified (now), emailed (now), email_suppressed (bounced: app
    only), already_notified, erased (cannot be told).
    """
    counts = dict.fromkeys(
        ["affected", "notified", "emailed", "email_suppressed", "already_notified", "erased"], 0
    )
    with transaction.atomic():
        # One run at a time per incident (on SQLite the transaction already holds the lock).
        incident = BreachIncident.objects.select_for_update().get(pk=incident.pk)
        told = set(incident.notices.values_list("user_id", flat=True))
        affected = breach_affected_users(
            window_start=incident.window_start,
            window_end=incident.window_end,
            kinds=incident.data_kinds,
        )
        context = {"incident": incident, "operator": settings.OPERATOR}
        for user in affected:
            counts["affected"] += 1
            if user.erased_at is not None:
                counts["erased"] += 1
                continue
            if user.pk in told:
                counts["already_notified"] += 1
                continue
            notice = BreachNotice.objects.create(incident=incident, user=user, sent_at=now)
            email = email_queue(
                "breach_notice",
                recipient=user,
                booking=None,
                dedupe_key=f"breach_notice:{incident.pk}:{user.pk}",
                context={**context, "notice": notice},
            )
            counts["notified"] += 1
            if email is None:
                counts["email_suppressed"] += 1
            else:
                counts["emailed"] += 1
                notice.email = email
                notice.save(update_fields=["email"])
        if incident.notified_at is None and counts["notified"]:
            incident.notified_at = now
            incident.save(update_fields=["notified_at"])
    return counts


def breach_notice_acknowledge(*, notice: BreachNotice, now: datetime.datetime) -> BreachNotice:
    """The person has read the notice: the banner stops. Acknowledging again changes nothing.

    Side effects: the notice's `acknowledged_at`, the first time.
    """
    if notice.acknowledged_at is None:
        BreachNotice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now
        )
        notice.refresh_from_db(fields=["acknowledged_at"])
    return notice


MAX_NOMINEES = 2


def nominee_add(*, user, name: str, email: str, relationship: str) -> Nominee:
    """Name someone to act for `user` on death or incapacity (DPDP Act s.14).

    Raises PolicyViolation beyond MAX_NOMINEES or for the person's own address.
    """
    if normalize_email(email) == user.email:
        raise PolicyViolation("Your nominee needs an email address other than yours.")
    with transaction.atomic():
        if user.nominees.select_for_update().count() >= MAX_NOMINEES:
            raise PolicyViolation(
                f"You can name up to {MAX_NOMINEES} nominees. Remove one to add another."
            )
        return Nominee.objects.create(
            user=user, name=name, email=normalize_email(email), relationship=relationship
        )


def nominee_remove(*, user, nominee_id: int) -> bool:
    """Remove one of `user`'s own nominees; False when it is not theirs (or gone)."""
    deleted, _ = Nominee.objects.filter(user=user, pk=nominee_id).delete()
    return bool(deleted)
