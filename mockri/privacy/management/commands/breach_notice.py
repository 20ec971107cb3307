import argparse
import datetime
import pathlib

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mockri.accounts.models import User
from mockri.lib.errors import DomainError
from mockri.privacy.models import BreachDataKind
from mockri.privacy.selectors import breach_affected_users
from mockri.privacy.services import breach_incident_create, breach_notify

# The describe file: these four headings, each followed by its text.
SECTIONS = {
    "what happened": "description",
    "consequences": "consequences",
    "mitigation": "mitigation",
    "what you can do": "user_steps",
}
EXAMPLE = """\
# What happened
On 20 November a copy of our database backup was readable at a public address ...
# Consequences
Someone may use your email address to send you convincing phishing emails ...
# Mitigation
We removed the copy on 21 November, rotated every key and ...
# What you can do
Be wary of emails asking for payment or passwords ...
"""


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keeps the example file's lines in --help."""


class Command(BaseCommand):
    help = (
        "Tell everyone a personal data breach affected (DPDP s.8(6), Rule 7(1)): by email\n"
        "and with a banner in the app, once each however often it runs. With --dry-run,\n"
        "list them and change nothing. The describe file has four sections, each under\n"
        "its heading:\n\n" + EXAMPLE
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs["formatter_class"] = _HelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="e.g. 2026-11-20T09:00+05:30")
        parser.add_argument("--end", required=True, help="e.g. 2026-11-21T18:30+05:30")
        parser.add_argument(
            "--kinds",
            required=True,
            help=f"comma-separated, of: {', '.join(BreachDataKind.values)}",
        )
        parser.add_argument("--describe-file", help="the notice's text (needed unless --dry-run)")
        parser.add_argument(
            "--discovered", help="when Mockri became aware of it (default: now); same format"
        )
        parser.add_argument("--by", help="the email address of the staff member declaring it")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        now = timezone.now()
        start = _when(options["start"], "--start")
        end = _when(options["end"], "--end")
        discovered = _when(options["discovered"], "--discovered") if options["discovered"] else now
        kinds = [kind.strip() for kind in options["kinds"].split(",") if kind.strip()]
        try:
            affected = list(breach_affected_users(window_start=start, window_end=end, kinds=kinds))
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        texts = _read(options["describe_file"]) if options["describe_file"] else None
        by = _staff(options["by"]) if options["by"] else None

        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing recorded or sent. {len(affected)} affected:")
            for user in affected:
                self.stdout.write(f"  {_describe(user)}")
            self._clocks(discovered)
            return
        if texts is None:
            raise CommandError("Give --describe-file with the notice's text (or use --dry-run).")
        try:
            with transaction.atomic():
                incident = breach_incident_create(
                    window_start=start,
                    window_end=end,
                    discovered_at=discovered,
                    data_kinds=kinds,
                    created_by=by,
                    **texts,
                )
                counts = breach_notify(incident=incident, now=now)
        except DomainError as problem:
            raise CommandError(problem.message) from None
        self.stdout.write(
            f"Recorded incident {incident.reference}. {counts['affected']} affected: "
            f"{counts['notified']} notified ({counts['emailed']} by email and in the app, "
            f"{counts['email_suppressed']} in the app only as their address bounced); "
            f"{counts['erased']} erased their account since and cannot be told."
        )
        self._clocks(discovered)

    def _clocks(self, discovered: datetime.datetime) -> None:
        def at(hours: int) -> str:
            return f"{discovered + datetime.timedelta(hours=hours):%Y-%m-%d %H:%M} UTC"

        self.stdout.write(
            f"Aware since {at(0)}. Report to CERT-In by {at(6)}; to the Data Protection Board "
            f"at once and in full by {at(72)}. See README, 'If there is a breach'."
        )


def _when(text: str, option: str) -> datetime.datetime:
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise CommandError(f"{option}: {text!r} is not a time like 2026-11-20T09:00+05:30.")
    if timezone.is_naive(value):
        raise CommandError(f"{option}: say which time zone, e.g. {text}+05:30 or {text}Z.")
    return value.astimezone(datetime.UTC)


def _read(path: str) -> dict[str, str]:
    try:
        lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as problem:
        raise CommandError(f"Cannot read {path}: {problem}") from None
    texts: dict[str, list[str]] = {}
    current = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("# "):
            heading = line[2:].strip().lower()
            if heading not in SECTIONS:
                raise CommandError(f"{path}:{number}: unknown heading {line!r}.\n{_expected()}")
            current = texts.setdefault(SECTIONS[heading], [])
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise CommandError(f"{path}:{number}: text before the first heading.\n{_expected()}")
    joined = {field: "\n".join(text).strip() for field, text in texts.items()}
    if missing := [h for h, field in SECTIONS.items() if not joined.get(field)]:
        raise CommandError(f"{path}: nothing under {', '.join(missing)}.\n{_expected()}")
    return joined


def _expected() -> str:
    return "The file needs these sections, each under its heading:\n" + EXAMPLE


def _staff(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip(), is_staff=True).first()
    if user is None:
        raise CommandError(f"--by: no staff member has the address {email}.")
    return user


def _describe(user: User) -> str:
    if user.erased_at is not None:
        return f"user {user.pk} (erased their account since: cannot be told)"
    if user.email_bounced_at is not None:
        return f"{user.email} (address bounced: in-app notice only)"
    return user.email
