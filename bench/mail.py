"""The fake email provider of bench/scale_out.py: each message sent is one row of
bench_email_send (a table only the bench database has), written on a connection of its own in
autocommit, like a provider's log that a task's rollback cannot undo."""

import os

import psycopg
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

SEND_TABLE = "bench_email_send"
CREATE_SEND_TABLE = f"""
    CREATE TABLE {SEND_TABLE} (
        id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL,
        to_address text NOT NULL,
        subject text NOT NULL,
        pid integer NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
    )
"""


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        database = settings.DATABASES["default"]
        with psycopg.connect(
            dbname=database["NAME"],
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            autocommit=True,
        ) as connection:
            for message in messages:
                message.message()  # builds the MIME message, as a real backend would
                connection.execute(
                    f"INSERT INTO {SEND_TABLE} (idempotency_key, to_address, subject, pid) "  # noqa: S608 -- a constant table name
                    "VALUES (%s, %s, %s, %s)",
                    [
                        getattr(message, "idempotency_key", ""),
                        ", ".join(message.to),
                        message.subject,
                        os.getpid(),
                    ],
                )
        return len(messages)
