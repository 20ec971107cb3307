"""Mockri's settings: every value comes from the environment (see .env.example).

Defaults suit a developer's machine (SQLite, console email, offline providers). With DEBUG=False
the project refuses to start until it has what production needs, instead of running insecurely.
"""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mockri.invoices.gst import gstin_problem
from mockri.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SITE_NAME = "Mockri"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# A key is strong when Django's own deploy check (security.W009) would accept it.
_DEV_SECRET_KEY = "dev-only-" + "x" * 50
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
# While rotating SECRET_KEY: the previous keys, still accepted (not used to sign) so sessions,
# password-reset links and signed values issued before the rotation keep working. Remove them once
# those have expired (SESSION_COOKIE_AGE, PASSWORD_RESET_TIMEOUT).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _weak_key(key: str) -> bool:
    return len(key) < 50 or len(set(key)) < 5 or key.startswith(("django-insecure", "dev-only-"))


if not DEBUG:
    if _weak_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "With DEBUG=False, SECRET_KEY must be a random value of at least 50 characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if any(map(_weak_key, SECRET_KEY_FALLBACKS)):
        raise ImproperlyConfigured(
            "With DEBUG=False, each of SECRET_KEY_FALLBACKS must be a former SECRET_KEY "
            "(50+ random characters)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("With DEBUG=False, ALLOWED_HOSTS must name the site's hosts.")

INSTALLED_APPS = [
    "mockri.accounts",
    "mockri.catalogue",
    "mockri.scheduling",
    "mockri.bookings",
    "mockri.coupons",
    "mockri.payments",
    "mockri.invoices",
    "mockri.packs",
    "mockri.meetings",
    "mockri.notifications",
    "mockri.feedback",
    "mockri.pages",
    "mockri.privacy",
    "mockri.interviewers",
    "mockri.preparation",
    "mockri.earnings",
    "mockri.operations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    # Outermost: every response, even a refusal below, carries the request id and is logged.
    "mockri.lib.middleware.RequestIdMiddleware",
    # Header middleware first, so files served by WhiteNoise carry the headers too.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mockri.lib.middleware.PermissionsPolicyMiddleware",
    # Before anything reads the body (sessions, CSRF, forms); after the headers, which its 413
    # page carries too.
    "mockri.lib.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mockri.lib.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, but a request without a session cookie is a visitor without reading the session.
    "mockri.accounts.middleware.VisitorAwareAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "mockri.accounts.middleware.SessionLifetimeMiddleware",
    "mockri.accounts.middleware.UserTimezoneMiddleware",
    "mockri.accounts.middleware.PolicyConsentMiddleware",
    "mockri.accounts.middleware.TwoFactorRequiredMiddleware",
    # Counts the booking steps' page views for the console's conversion figures (no cookies).
    "mockri.operations.middleware.FunnelCountMiddleware",
]

ROOT_URLCONF = "mockri.urls"
WSGI_APPLICATION = "mockri.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mockri" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mockri.pages.context_processors.site",
                "mockri.privacy.context_processors.breach_banner",
                "mockri.operations.context_processors.console",
            ],
            # |clock and |when: every template writes times one way ("4:35 pm IST"); {% icon %}.
            "builtins": ["mockri.lib.clock", "mockri.lib.icons"],
        },
    },
]

FORM_RENDERER = "mockri.lib.forms.FormRenderer"

# Database: SQLite under var/ unless DATABASE_URL names a server (PostgreSQL in production).
# On Neon, DATABASE_URL is the pooled address (host ...-pooler..., PgBouncer in transaction mode)
# and DATABASE_URL_UNPOOLED the direct one (the names Neon's Vercel integration sets). Requests
# use the pooled one; the deploy step migrates over the direct one with DATABASE_DIRECT=True,
# since schema changes (and CREATE INDEX CONCURRENTLY) should not go through the pooler. Query
# parameters such as ?sslmode=require&channel_binding=require are passed to libpq.
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_URL_UNPOOLED = env_str("DATABASE_URL_UNPOOLED")
DATABASE_DIRECT = env_bool("DATABASE_DIRECT", False)
if DATABASE_DIRECT and not DATABASE_URL_UNPOOLED:
    raise ImproperlyConfigured(
        "DATABASE_DIRECT=True (for migrations) needs DATABASE_URL_UNPOOLED, the database's "
        "direct address."
    )
if DATABASE_URL or DATABASE_DIRECT:
    _database = dj_database_url.parse(DATABASE_URL_UNPOOLED if DATABASE_DIRECT else DATABASE_URL)
    _pooler_host = "-pooler." in (_database["HOST"] or "")
    if DATABASE_DIRECT and _pooler_host:
        raise ImproperlyConfigured("DATABASE_URL_UNPOOLED names a pooler host (-pooler).")
    # Behind a transaction pooler a server connection is ours for one transaction only: a
    # server-side cursor (QuerySet.iterator()) would outlive it, and a kept connection would
    # hold a pooler slot for a dead request thread (Vercel runs each request on a new thread).
    # Neon's pooler is detected by its host name; DATABASE_POOLED=True names any other.
    DATABASE_POOLED = not DATABASE_DIRECT and env_bool("DATABASE_POOLED", _pooler_host)
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "mockri.lib.postgresql"  # Django's, with cheaper health checks
    DATABASES = {
        "default": {
            **_database,
            "CONN_MAX_AGE": 0 if DATABASE_POOLED else 60,
            # Neon closes idle connections when it scales to zero (checked once idle: see the
            # engine's docstring).
            "CONN_HEALTH_CHECKS": True,
            "DISABLE_SERVER_SIDE_CURSORS": DATABASE_POOLED,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "mockri.sqlite3",
            # The web process and the task worker share one file: WAL lets readers run beside
            # the writer, IMMEDIATE makes writers queue for the lock instead of failing midway.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    # Plain bcrypt rejects passwords over 72 bytes; the SHA-256 pre-hash variant does not.
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60

LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "mockri" / "static"]
# Private files (resumes, job descriptions, photos, data exports): a folder under VAR_DIR, or a
# private Vercel Blob store (FILE_STORAGE=vercel_blob), which Vercel's read-only disk needs.
# Either way files reach users only through access-checked views.
FILE_STORAGE = env_str("FILE_STORAGE") or "filesystem"
BLOB_READ_WRITE_TOKEN = env_str("BLOB_READ_WRITE_TOKEN")
# Only for the Vercel emulation in tests/deploy/: where reads of private blobs go instead of
# Vercel's delivery host (a local fake of Blob's API). Unset in production.
BLOB_EMULATOR_DELIVERY_URL = env_str("BLOB_EMULATOR_DELIVERY_URL")
if FILE_STORAGE == "filesystem":
    _FILES = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    }
elif FILE_STORAGE == "vercel_blob":
    if not re.fullmatch(r"vercel_blob_rw_[A-Za-z0-9]+_\S+", BLOB_READ_WRITE_TOKEN):
        raise ImproperlyConfigured(
            "FILE_STORAGE=vercel_blob needs BLOB_READ_WRITE_TOKEN, the read-write token of a "
            "private Blob store (vercel_blob_rw_..., in the store's settings on Vercel)."
        )
    _FILES = {
        "BACKEND": "mockri.lib.storage.VercelBlobStorage",
        "OPTIONS": {
            "token": BLOB_READ_WRITE_TOKEN,
            **({"delivery_url": BLOB_EMULATOR_DELIVERY_URL} if BLOB_EMULATOR_DELIVERY_URL else {}),
        },
    }
else:
    raise ImproperlyConfigured(
        f"FILE_STORAGE must be filesystem or vercel_blob, not {FILE_STORAGE!r}."
    )
STORAGES = {
    "default": _FILES,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Whitenoise serves from the source folders while developing (and in tests), from STATIC_ROOT after
# collectstatic in production.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# Uploads (resumes) are private: readable by the app's own user only, never served directly.
# Files over 1 MB go to a temporary file, which needs the same protection; so a request holds at
# most about 1 MB per file in memory, whatever its size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Form fields and webhook bodies, which are held in memory whole: the largest we take is a
# 20,000-character job description (80 kB at most in UTF-8); Django's 2.5 MB is needlessly
# generous. A larger body is refused with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 4
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Background work: jobs live in the same database and are enqueued in the same transaction.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Running the queue without a worker (Vercel): Vercel Cron calls /internal/cron/tasks/ with
# "Authorization: Bearer $CRON_SECRET"; unset, the endpoint answers 404. Each call drains for
# TASK_DRAIN_BUDGET_SECONDS, under the function's maxDuration (TASK_MAX_DURATION_SECONDS, as in
# vercel.json); a task still RUNNING TASK_REAP_MARGIN_SECONDS after that was killed: it is
# requeued, or failed after TASK_MAX_ATTEMPTS claims.
CRON_SECRET = env_str("CRON_SECRET")
TASK_MAX_DURATION_SECONDS = env_int("TASK_MAX_DURATION_SECONDS", 300, minimum=60, maximum=800)
TASK_DRAIN_BUDGET_SECONDS = env_int(
    "TASK_DRAIN_BUDGET_SECONDS", TASK_MAX_DURATION_SECONDS - 30, minimum=1, maximum=800
)
TASK_REAP_MARGIN_SECONDS = env_int("TASK_REAP_MARGIN_SECONDS", 60, minimum=0, maximum=3600)
TASK_MAX_ATTEMPTS = 3
if CRON_SECRET and len(CRON_SECRET) < 16:
    raise ImproperlyConfigured("CRON_SECRET must be at least 16 random characters.")
if TASK_DRAIN_BUDGET_SECONDS >= TASK_MAX_DURATION_SECONDS:
    raise ImproperlyConfigured(
        "TASK_DRAIN_BUDGET_SECONDS must be below TASK_MAX_DURATION_SECONDS, leaving "
        "time for the last task to finish."
    )

# Where a client's address comes from (rate limits, consent records; mockri.lib.client_ip): on
# Vercel (which sets VERCEL=1) the address Vercel puts in X-Real-IP and X-Forwarded-For; behind
# TRUSTED_PROXY_COUNT reverse proxies that append to X-Forwarded-For, that many entries from its
# end; else the connection's peer. An address that cannot be told shares one rate-limit bucket.
VERCEL = env_bool("VERCEL", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

# Cache shared between processes (rate limits): the database by default, Redis when configured.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mockri_cache",
            # Room for the slot picker's pages (one per type, interviewer, zone and week).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# Each web process also keeps, in its own memory, what it last read from or wrote to that cache
# for the slot picker and the directory (pages, their schedule version, a signed-in viewer's
# frame) for SLOT_PAGE_LOCAL_SECONDS, so a busy page costs no cache round trip. Another
# process's booking shows here at most that much later (a booking is checked under a lock, so the
# lag costs a clean "just taken" at worst); 0 turns the copy off.
SLOT_PAGE_LOCAL_SECONDS = env_int("SLOT_PAGE_LOCAL_SECONDS", 1, minimum=0, maximum=10)
CACHES["process"] = {
    "BACKEND": "mockri.lib.cache.ProcessMemoryCache",  # values kept as they are: never changed
    "LOCATION": "mockri-slot-pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# Email: console by default; SMTP or Resend (through django-anymail) when configured.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mockri <hello@mockri.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_PROVIDER = env_str("EMAIL_PROVIDER", "console")
RESEND_API_KEY = env_str("RESEND_API_KEY")
# The Svix signing secret of the tracking webhook https://<host>/anymail/resend/tracking/.
RESEND_WEBHOOK_SECRET = env_str("RESEND_WEBHOOK_SECRET")
if EMAIL_PROVIDER == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif EMAIL_PROVIDER == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST", "localhost"),
                "port": env_int("SMTP_PORT", 587, minimum=1, maximum=65535),
                "username": env_str("SMTP_USERNAME"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
elif EMAIL_PROVIDER == "resend":
    if not RESEND_API_KEY:
        raise ImproperlyConfigured("EMAIL_PROVIDER=resend needs RESEND_API_KEY.")
    # Anymail's Resend backend plus Resend's Idempotency-Key header (the outbox's key per email).
    MAILERS = {"default": {"BACKEND": "mockri.notifications.resend.EmailBackend"}}
    ANYMAIL = {"RESEND_API_KEY": RESEND_API_KEY}
    if RESEND_WEBHOOK_SECRET:
        ANYMAIL["RESEND_SIGNING_SECRET"] = RESEND_WEBHOOK_SECRET
else:
    raise ImproperlyConfigured(
        f"EMAIL_PROVIDER must be console, smtp or resend, not {EMAIL_PROVIDER!r}."
    )

# Booking rules.
BOOKING_HOLD_MINUTES = env_int("BOOKING_HOLD_MINUTES", 15, minimum=1, maximum=24 * 60)
FREE_SESSIONS_PER_30_DAYS = env_int("FREE_SESSIONS_PER_30_DAYS", 1, minimum=0, maximum=30)
# Unpaid holds one candidate may have at a time: each keeps a slot from everyone else.
BOOKING_MAX_UNPAID_HOLDS = env_int("BOOKING_MAX_UNPAID_HOLDS", 2, minimum=1, maximum=20)
BOOKING_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# The largest request we take. A larger declared body is refused (413) before anything reads it
# (lib.middleware.RequestBodyLimitMiddleware); the reverse proxy should refuse it first (README).
# A plain server takes the booking form's two files at their limit, plus its fields. On Vercel,
# whose own refusal is a bare error page, Mockri's is set a little lower so that it speaks first;
# the forms' script sends larger files in parts (bookings/upload_services.py).
REQUEST_BODY_MAX_BYTES = 4_400_000 if VERCEL else 2 * BOOKING_UPLOAD_MAX_BYTES + 1024 * 1024
# The size of each part the booking forms' script sends a file in: with the form's multipart
# framing it must fit in one request (checked here).
UPLOAD_CHUNK_BYTES = env_int(
    "UPLOAD_CHUNK_BYTES", 4 * 1024 * 1024, minimum=64 * 1024, maximum=BOOKING_UPLOAD_MAX_BYTES
)
if UPLOAD_CHUNK_BYTES + 64 * 1024 > REQUEST_BODY_MAX_BYTES:
    raise ImproperlyConfigured(
        f"UPLOAD_CHUNK_BYTES must leave 64 KiB for the request's framing under "
        f"{REQUEST_BODY_MAX_BYTES} bytes, the largest request taken here."
    )
CANDIDATE_CHANGE_DEADLINE_HOURS = 24
CANDIDATE_MAX_RESCHEDULES = 2
# Unused pack credits are refundable pro rata for this many days after the purchase (the refund
# policy page states it).
PACK_REFUND_WINDOW_DAYS = 30

# Payments: Razorpay when its keys are set (the webhook URL is /webhooks/razorpay/).
RAZORPAY_KEY_ID = env_str("RAZORPAY_KEY_ID")
RAZORPAY_KEY_SECRET = env_str("RAZORPAY_KEY_SECRET")
RAZORPAY_WEBHOOK_SECRET = env_str("RAZORPAY_WEBHOOK_SECRET")
if any([RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET]) and not all(
    [RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET]
):
    raise ImproperlyConfigured(
        "Razorpay needs all of RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET."
    )

# Without Razorpay keys the offline test gateway takes payments (a local checkout marked TEST
# MODE); production refuses it unless explicitly allowed.
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "razorpay" if RAZORPAY_KEY_ID else "test")
if PAYMENT_GATEWAY not in ("razorpay", "test"):
    raise ImproperlyConfigured(
        f"PAYMENT_GATEWAY must be razorpay or test, not {PAYMENT_GATEWAY!r}."
    )
if PAYMENT_GATEWAY == "razorpay" and not RAZORPAY_KEY_ID:
    raise ImproperlyConfigured("PAYMENT_GATEWAY=razorpay needs the three RAZORPAY_* settings.")
PAYMENT_TEST_GATEWAY_ALLOWED = env_bool("PAYMENT_TEST_GATEWAY_ALLOWED", DEBUG)
if PAYMENT_GATEWAY == "test" and not PAYMENT_TEST_GATEWAY_ALLOWED:
    raise ImproperlyConfigured(
        "No Razorpay keys are set: configure RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and "
        "RAZORPAY_WEBHOOK_SECRET, or set PAYMENT_TEST_GATEWAY_ALLOWED=True to take no real money."
    )

# --- Meetings ---------------------------------------------------------------------------------
# Where each session's video link comes from: jitsi (no credentials), google (Google Calendar
# with a Meet conference) or calcom (a Cal.com booking; its webhook URL is /webhooks/calcom/).
# A session whose link cannot be made gets one from the other configured provider, then (where
# allowed) Jitsi; failing all, it has no link yet and staff are alerted. The privacy policy names
# Google and Cal.com, not Jitsi: production uses Jitsi, even as the fallback, only when
# MEETING_JITSI_OUTSIDE_PRIVACY_POLICY says so. An empty variable means its default.
MEETING_PROVIDER = env_str("MEETING_PROVIDER") or "jitsi"
MEETING_JITSI_OUTSIDE_PRIVACY_POLICY = env_bool("MEETING_JITSI_OUTSIDE_PRIVACY_POLICY", DEBUG)
JITSI_BASE_URL = (env_str("JITSI_BASE_URL") or "https://meet.jit.si").rstrip("/")
# The organiser's Google account: an OAuth refresh token (calendar.events scope) issued to the
# GOOGLE_CLIENT_ID client, and the calendar the events go on.
GOOGLE_CALENDAR_REFRESH_TOKEN = env_str("GOOGLE_CALENDAR_REFRESH_TOKEN")
GOOGLE_CALENDAR_ID = env_str("GOOGLE_CALENDAR_ID") or "primary"
CALCOM_API_KEY = env_str("CALCOM_API_KEY")
CALCOM_API_URL = (env_str("CALCOM_API_URL") or "https://api.cal.com/v2").rstrip("/")
CALCOM_EVENT_TYPE_ID = env_int("CALCOM_EVENT_TYPE_ID", 0, minimum=0, maximum=2**31 - 1)
CALCOM_WEBHOOK_SECRET = env_str("CALCOM_WEBHOOK_SECRET")
if MEETING_PROVIDER not in ("jitsi", "google", "calcom"):
    raise ImproperlyConfigured(
        f"MEETING_PROVIDER must be jitsi, google or calcom, not {MEETING_PROVIDER!r}."
    )
if not JITSI_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("JITSI_BASE_URL must be an address such as https://meet.jit.si.")
if MEETING_PROVIDER == "jitsi" and not MEETING_JITSI_OUTSIDE_PRIVACY_POLICY:
    raise ImproperlyConfigured(
        "With DEBUG=False, MEETING_PROVIDER must be google or calcom: the privacy policy names "
        "Google Meet and Cal.com for video, not Jitsi. To use Jitsi anyway, outside the policy, "
        "set MEETING_JITSI_OUTSIDE_PRIVACY_POLICY=True."
    )
# GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are read again with the sign-in settings below.
if MEETING_PROVIDER == "google" and not all(
    [env_str("GOOGLE_CLIENT_ID"), env_str("GOOGLE_CLIENT_SECRET"), GOOGLE_CALENDAR_REFRESH_TOKEN]
):
    raise ImproperlyConfigured(
        "MEETING_PROVIDER=google needs GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and "
        "GOOGLE_CALENDAR_REFRESH_TOKEN."
    )
if MEETING_PROVIDER == "calcom" and not all(
    [CALCOM_API_KEY, CALCOM_EVENT_TYPE_ID, CALCOM_WEBHOOK_SECRET]
):
    raise ImproperlyConfigured(
        "MEETING_PROVIDER=calcom needs CALCOM_API_KEY, CALCOM_EVENT_TYPE_ID and "
        "CALCOM_WEBHOOK_SECRET."
    )
# --- End of meetings ---------------------------------------------------------------------------

# Retention: job descriptions and resumes are deleted this many days after the session ends.
FILE_RETENTION_DAYS = env_int("FILE_RETENTION_DAYS", 90, minimum=1, maximum=10 * 365)
# Days within which a grievance must be answered (the DPDP Rules allow at most 90).
GRIEVANCE_RESPONSE_DAYS = env_int("GRIEVANCE_RESPONSE_DAYS", 30, minimum=1, maximum=90)
# Hours a "download my data" link works (once) before the copy is deleted.
DATA_EXPORT_LINK_HOURS = env_int("DATA_EXPORT_LINK_HOURS", 24, minimum=1, maximum=30 * 24)
# Accounts with no sign-in and no session for this many days are erased, after a warning email
# INACTIVITY_WARNING_DAYS before.
INACTIVE_ACCOUNT_DAYS = env_int("INACTIVE_ACCOUNT_DAYS", 3 * 365, minimum=30, maximum=100 * 365)
INACTIVITY_WARNING_DAYS = env_int("INACTIVITY_WARNING_DAYS", 30, minimum=1, maximum=365)
# Declined interviewer applications are deleted this many days after the decision.
INTERVIEWER_APPLICATION_RETENTION_DAYS = env_int(
    "INTERVIEWER_APPLICATION_RETENTION_DAYS", 180, minimum=1, maximum=10 * 365
)
# Days the one-time link inviting an accepted interviewer works.
INTERVIEWER_INVITATION_DAYS = env_int("INTERVIEWER_INVITATION_DAYS", 7, minimum=1, maximum=60)
# A candidate who gave the date of a real interview is reminded this many days before it, with
# their latest feedback's "work on next"; the date is deleted this many days after it passed.
INTERVIEW_REMINDER_DAYS = env_int("INTERVIEW_REMINDER_DAYS", 3, minimum=1, maximum=14)
INTERVIEW_DATE_GRACE_DAYS = env_int("INTERVIEW_DATE_GRACE_DAYS", 14, minimum=0, maximum=365)

# Interviewers' earnings (mockri.earnings): the share of a session's price credited when staff
# set no rate for its type, the part of that credit a candidate's no-show still earns, and the
# smallest total a payout batch pays (less waits for the next batch).
EARNINGS_DEFAULT_SHARE_PERCENT = env_int(
    "EARNINGS_DEFAULT_SHARE_PERCENT", 70, minimum=0, maximum=100
)
EARNINGS_CANDIDATE_NO_SHOW_PERCENT = env_int(
    "EARNINGS_CANDIDATE_NO_SHOW_PERCENT", 50, minimum=0, maximum=100
)
PAYOUT_MINIMUM_PAISE = env_int("PAYOUT_MINIMUM_PAISE", 50_000, minimum=0, maximum=10_000_000)
# Reliability over a rolling 90 days: an interviewer with this many incidents (no-shows, late
# cancellations, late feedback) is unlisted automatically and staff are emailed.
RELIABILITY_PAUSE_THRESHOLD = env_int("RELIABILITY_PAUSE_THRESHOLD", 3, minimum=1, maximum=100)
# Hours after a session's end by which its feedback is due; later counts as late feedback.
FEEDBACK_DUE_HOURS = env_int("FEEDBACK_DUE_HOURS", 48, minimum=1, maximum=30 * 24)
# Hours after a session's start during which the candidate can report that the interviewer
# did not show.
NO_SHOW_REPORT_WINDOW_HOURS = env_int("NO_SHOW_REPORT_WINDOW_HOURS", 24, minimum=1, maximum=14 * 24)

# Privacy policy: the version users consent to; bump it when the text changes.
PRIVACY_POLICY_VERSION = env_str("PRIVACY_POLICY_VERSION", "2026-05-16")

# Accounts (django-allauth): email is the identifier; the sign-up form asks only for what the
# privacy policy names, plus the 18+ and policy checkboxes (mockri.accounts.forms).
ACCOUNT_ADAPTER = "mockri.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "mockri.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "mockri.accounts.forms.SignupExtrasForm"
ACCOUNT_UNIQUE_EMAIL = True
# Browsing needs no account; signing in (and so booking) needs a verified address. Mandatory
# verification is also what lets sign-up answer the same whether or not an address is taken.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this session stays; every other one ends
ACCOUNT_SESSION_REMEMBER = True  # lifetime is bounded by the idle and absolute limits
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "grievance": "5/h/ip",  # the contact form: no third-party captcha, a limit and a honeypot
    # Like the contact form; the key is the address, so one address cannot be rewritten often.
    "interviewer_application": "5/h/ip,3/h/key",
    "data_export": "3/1d/user",  # each copy holds every file: building one is not free
    "booking": "20/m/ip,5/m/user",  # each posted booking form carries up to 10 MB of files
    # A file in parts: a start, a part per UPLOAD_CHUNK_BYTES, a completion; two files a form.
    "upload": "120/m/ip,40/m/user",
}
SOCIALACCOUNT_AUTO_SIGNUP = False  # new Google users pass the 18+ and policy step first
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # no silent takeover of a password account
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False
GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET")
if bool(GOOGLE_CLIENT_ID) != bool(GOOGLE_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "Google sign-in needs both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET."
    )
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
        "FETCH_USERINFO": True,
        "APPS": (
            [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}]
            if GOOGLE_CLIENT_ID
            else []
        ),
    }
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mockri"
# Recorded at sign-in; refreshing it on every request would cost four queries a page.
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions and cookies. The __Host- prefix needs Secure, which plain-http development lacks.
SESSION_ENGINE = "mockri.accounts.sessions"  # Django's database sessions, each with its user
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # no extra cookie
# An absolute lifetime (SESSION_COOKIE_AGE) and an idle timeout, both enforced on the server by
# mockri.accounts.middleware.SessionLifetimeMiddleware.
SESSION_COOKIE_AGE = env_int(
    "SESSION_COOKIE_AGE", 12 * 60 * 60, minimum=60, maximum=366 * 24 * 60 * 60
)
SESSION_IDLE_TIMEOUT = env_int(
    "SESSION_IDLE_TIMEOUT", 60 * 60, minimum=60, maximum=366 * 24 * 60 * 60
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"

# Security headers. Every page's assets come from Mockri itself; nothing inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    # Chrome applies form-action to the redirect after a submit: the Google sign-in button posts
    # to us, and we redirect to Google's consent screen.
    "form-action": [CSP.SELF, *(["https://accounts.google.com"] if GOOGLE_CLIENT_ID else [])],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), usb=(), payment=()"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Trust X-Forwarded-Proto only because production runs behind a proxy that overwrites it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The operator, as the privacy policy and the Contact page name them.
OPERATOR = {
    "name": "Ramees PP",
    "location": "Kerala, India",
    "email": "hello@mockri.com",
}

# GST tax invoices and credit notes (mockri/invoices): issued only when GSTIN is set. DEBUG
# (make run) uses a demo GSTIN and address, so the demo shows invoices; production sets its own.
_DEMO_GST = DEBUG and not env_str("GSTIN")
GSTIN = env_str("GSTIN", "32ABCDE1234F1Z9" if DEBUG else "").upper()
OPERATOR_LEGAL_NAME = env_str("OPERATOR_LEGAL_NAME", "Ramees PP (demo)" if _DEMO_GST else "")
OPERATOR_ADDRESS = env_str(
    "OPERATOR_ADDRESS", "Demo address, Kochi, Kerala 682001, India" if _DEMO_GST else ""
)
# The GST state code of the operator's registration (32: Kerala): places of supply in that
# state are charged CGST+SGST, others IGST.
OPERATOR_STATE_CODE = env_str("OPERATOR_STATE_CODE", "32")
# 999293: commercial training and coaching services (a mock interview is live coaching by a
# person, so not OIDAR's 9984); GST at 18%.
GST_SAC_CODE = env_str("GST_SAC_CODE", "999293")
GST_RATE_PERCENT = env_int("GST_RATE_PERCENT", 18, minimum=0, maximum=28)
if GSTIN:
    if _gstin_problem := gstin_problem(GSTIN):
        raise ImproperlyConfigured(f"GSTIN {GSTIN!r}: {_gstin_problem}")
    if GSTIN[:2] != OPERATOR_STATE_CODE:
        raise ImproperlyConfigured("OPERATOR_STATE_CODE must be the GSTIN's first two digits.")
    if not (OPERATOR_LEGAL_NAME and OPERATOR_ADDRESS and GST_SAC_CODE):
        raise ImproperlyConfigured(
            "With GSTIN set, OPERATOR_LEGAL_NAME, OPERATOR_ADDRESS and GST_SAC_CODE are required "
            "on tax invoices."
        )

# Logs go to stdout (Vercel's log view; journald under systemd): in production one JSON object
# per line with the request id (mockri.lib.logs), as text for make run. Django's own loggers
# lose their handlers and reach the root's, so each event is written once, in that format.
LOG_FORMAT = env_str("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "mockri.lib.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}
