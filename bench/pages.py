"""Public pages: queries per request and requests per second through Django's full stack.

Run: uv run python bench/pages.py [requests-per-page]
Uses a throw-away SQLite database with the demo data; prints one line per page.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mockri.settings")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="mockri-bench-")

import django  # settings must see VAR_DIR first, so imported after it is set

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = ["/", "/interviews/", "/interviews/system-design/", "/interviewers/ananya/", "/privacy/"]


def main(requests_per_page: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':32} {'queries':>7} {'req/s':>8} {'ms/req':>7}")
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        query_count = len(queries)  # read now: every request resets the connection's log
        started = time.perf_counter()
        for _ in range(requests_per_page):
            client.get(url)
        elapsed = time.perf_counter() - started
        print(
            f"{url:32} {query_count:>7} {requests_per_page / elapsed:>8.0f}"
            f" {1000 * elapsed / requests_per_page:>7.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
