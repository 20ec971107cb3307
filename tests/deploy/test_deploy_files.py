"""The plain-server files under deploy/ and the Procfile agree with the settings and are valid."""

import configparser
import re
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.test_settings import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name)
    return parser


def nginx_directives(name: str) -> list[str]:
    text = re.sub(r"#.*", "", (DEPLOY / "nginx.conf").read_text())
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, re.MULTILINE)


def test_nginx_refuses_exactly_the_bodies_django_refuses():
    [size] = nginx_directives("client_max_body_size")
    number, unit_letter = re.fullmatch(r"(\d+)([km]?)", size).groups()

    assert int(number) * {"": 1, "k": 1024, "m": 1024**2}[unit_letter] == (
        settings.REQUEST_BODY_MAX_BYTES
    )


def test_nginx_overwrites_the_forwarded_headers_django_trusts():
    # Production's SECURE_PROXY_SSL_HEADER is checked in tests/test_settings.py.
    headers = dict(value.split(maxsplit=1) for value in nginx_directives("proxy_set_header"))

    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-For"] == "$remote_addr"
    assert headers["Host"] == "$host"


def test_the_worker_restarts_always_and_stops_gracefully():
    service = unit("mockri-worker@.service")["Service"]

    assert service["ExecStart"].endswith("manage.py db_worker --queue-name * --worker-id %H-%i")
    assert (service["Restart"], service["KillSignal"]) == ("always", "SIGTERM")


def test_a_timer_prunes_finished_task_results_daily():
    assert unit("mockri-prune.timer")["Timer"]["OnCalendar"] == "*-*-* 03:30:00"
    assert "manage.py prune_db_task_results" in unit("mockri-prune.service")["Service"]["ExecStart"]


def test_a_timer_keeps_the_task_queue_whole_every_five_minutes():
    assert unit("mockri-maintain.timer")["Timer"]["OnUnitActiveSec"] == "5min"
    assert unit("mockri-maintain.service")["Service"]["ExecStart"].endswith(
        "manage.py tasks_maintain"
    )


def test_the_procfile_runs_the_same_web_and_worker_commands_as_the_units():
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )

    assert processes == {
        "web": "gunicorn -c deploy/gunicorn.conf.py --bind 0.0.0.0:${PORT:-8000}",
        "worker": "python manage.py db_worker --queue-name '*'",
    }
    assert unit("mockri-web.service")["Service"]["ExecStart"].endswith(
        "gunicorn -c deploy/gunicorn.conf.py"
    )


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(not SYSTEMD_ANALYZE, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_systemd_accepts_the_unit(path, tmp_path):
    # A template unit is verified as one of its instances; verify wants the files side by side.
    for source in UNITS:
        (tmp_path / source.name.replace("@.", "@1.")).write_text(source.read_text())
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", str(tmp_path / path.name.replace("@.", "@1."))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # The release's executables exist only on the server.
    problems = [
        line
        for line in result.stderr.splitlines()
        if line and not re.search(r"Command /srv/mockri/\S+ is not executable", line)
    ]

    assert problems == []


def test_a_timer_backs_up_the_database_every_night_encrypted():
    assert unit("mockri-backup.timer")["Timer"]["OnCalendar"] == "*-*-* 02:15:00"
    script = (DEPLOY / "mockri-backup").read_text()

    assert unit("mockri-backup.service")["Service"]["ExecStart"].endswith("deploy/mockri-backup")
    assert "pg_dump --format=custom" in script
    assert '| age --encrypt --recipient "$BACKUP_AGE_RECIPIENT"' in script
