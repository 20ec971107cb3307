"""Django's PostgreSQL backend, health-checking a kept connection only once it has sat idle.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request that
reuses a connection, so a connection the server dropped meanwhile (Neon's compute scaling to
zero, a restart) is replaced instead of failing the request. On a busy process that round trip
came before nearly every signed-in page's first query and cost as much as reading the session
(issue #13's profile). A connection that answered a query moments ago is trusted: the check runs
only when its last query is HEALTH_CHECK_IDLE_SECONDS old or more. Connections that are not kept
(CONN_MAX_AGE=0, behind Neon's pooler) are new on every request and never checked anyway.
"""

import time

from django.db.backends.postgresql import base

# Neon suspends a compute after 5 minutes without queries; a restart in the seconds after a
# query answered costs that request what every request cost without health checks.
HEALTH_CHECK_IDLE_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    last_used_at = 0.0

    def connect(self):
        super().connect()
        self.last_used_at = time.monotonic()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self.last_used_at = time.monotonic()
        return cursor

    def close_if_health_check_failed(self):
        if time.monotonic() - self.last_used_at < HEALTH_CHECK_IDLE_SECONDS:
            self.health_check_done = True
        super().close_if_health_check_failed()
