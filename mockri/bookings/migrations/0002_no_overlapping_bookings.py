"""No double booking, enforced by PostgreSQL itself: two active bookings (held or confirmed) of
one interviewer may not overlap, buffer included, and neither may two of one candidate.

SQLite has no exclusion constraints; there `booking_create` checks inside a transaction that
holds the database's write lock (transaction_mode IMMEDIATE), which serialises the writers.
"""

from django.db import migrations

ACTIVE = "('pending_payment', 'confirmed')"

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE bookings_booking ADD CONSTRAINT booking_interviewer_no_overlap
        EXCLUDE USING gist (interviewer_id WITH =, tstzrange(starts_at, busy_until, '[)') WITH &&)
        WHERE (status IN {ACTIVE})""",
    f"""ALTER TABLE bookings_booking ADD CONSTRAINT booking_candidate_no_overlap
        EXCLUDE USING gist (candidate_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (status IN {ACTIVE})""",
]
DROP = [
    "ALTER TABLE bookings_booking DROP CONSTRAINT booking_candidate_no_overlap",
    "ALTER TABLE bookings_booking DROP CONSTRAINT booking_interviewer_no_overlap",
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP), elidable=False)
    ]
