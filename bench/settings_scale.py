"""Settings for bench/scale_out.py: bench.settings_bench's (production's, on plain HTTP), with
emails going to a fake provider (bench/mail.py) that records each send in the bench database:
no network, and an email sent twice shows as two rows.

CRON_SECRET, the drain budget, DATABASE_URL and the rest come from the environment the script
gives every process (mockri.settings reads them).
"""

from bench.settings_bench import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "bench.mail.RecordingBackend"}}
