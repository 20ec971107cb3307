"""Settings for the HTTP benchmark (bench/booking_http.py): production's, on plain HTTP.

DEBUG is False, as in production. DEBUG=True would measure a different app: every SQL query kept
in memory, templates without the cached loader, WhiteNoise re-scanning files on each request,
verbose error pages. So the benchmark sets up what DEBUG=False demands: a SECRET_KEY (the script
passes one shared key to itself and to every gunicorn worker, since sessions and the session auth
hash are signed with it; the random default below only suits a single process), ALLOWED_HOSTS,
and collectstatic into its throw-away VAR_DIR for the manifest storage.

The only departures from production follow from serving plain HTTP on 127.0.0.1 with no proxy in
front (no redirect to HTTPS; every candidate comes from one address, so the booking form's
per-address limit, which in production counts each candidate's own address, is left out and the
per-candidate one kept), from having no Razorpay keys (the offline test gateway) and no meeting
provider keys (Jitsi links, allowed outside the privacy policy here).
Cookies keep their production names (__Host-sessionid and __Host-csrftoken); the script reads
SESSION_COOKIE_NAME and CSRF_COOKIE_NAME from here.
VAR_DIR, DATABASE_URL and the rest come from the environment as usual (mockri.settings).
"""

import os
import secrets

os.environ["DEBUG"] = "False"
os.environ["SECURE_SSL_REDIRECT"] = "False"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["PAYMENT_TEST_GATEWAY_ALLOWED"] = "True"
os.environ["MEETING_JITSI_OUTSIDE_PRIVACY_POLICY"] = "True"  # links made offline
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from mockri.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "booking": ",".join(
        rate
        for rate in ACCOUNT_RATE_LIMITS["booking"].split(",")  # noqa: F405
        if not rate.endswith("/ip")
    ),
}
ALLOWED_HOSTS = ["127.0.0.1"]
