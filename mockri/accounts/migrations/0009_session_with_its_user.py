import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_sessions(apps, schema_editor):
    """Everyone signed in stays signed in: Django's session rows move here, each with its user
    (read from its data, which needs SECRET_KEY, as any session read does)."""
    from mockri.accounts.sessions import SessionStore, session_user_id  # noqa: PLC0415

    OldSession = apps.get_model("sessions", "Session")
    NewSession = apps.get_model("accounts", "Session")
    User = apps.get_model("accounts", "User")
    store = SessionStore()
    users = set(User.objects.values_list("pk", flat=True))
    rows = []
    for old in OldSession.objects.iterator(chunk_size=2000):
        user_id = session_user_id(store.decode(old.session_data))
        rows.append(
            NewSession(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=user_id if user_id in users else None,
            )
        )
    NewSession.objects.bulk_create(rows, batch_size=2000)
    OldSession.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_canonical_timezones"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "accounts_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(move_sessions, migrations.RunPython.noop),
    ]
