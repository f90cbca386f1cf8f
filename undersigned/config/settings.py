"""Settings for Undersigned, read from the environment (12-factor) with safe defaults.

Variables: DATABASE_URL, EMAIL_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, PORT, DEBUG,
TRUSTED_PROXIES, PROOF_OF_WORK, LOG_SIGNING_KEY, and the abuse limits (docs/abuse.md). A
malformed value raises ConfigError naming the variable.

DATABASE_REPLICA_URL (optional, postgres://… of a streaming replica of DATABASE_URL, which must
be PostgreSQL too) adds the database alias "replica" and its router (core/replica.py): the
dashboard, exports, the fraud page, the retention report and the public API read from it;
signing, confirming, counting and every write stay on the primary. A replica more than
DATABASE_REPLICA_MAX_LAG seconds behind (default 300), or not answering, is passed over for
the primary, and the pages say so (docs/scaling.md, "Primary + replicas").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from undersigned.config import tasks as tasks_config
from undersigned.config.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("UNDERSIGNED_DATA_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# A key that ships in the source is no secret: refuse it (and a missing one) in production.
INSECURE_DEV_SECRET_KEY = "insecure-dev-key-only-for-debug-and-tests"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY is not set. With DEBUG off, Undersigned needs a long random SECRET_KEY "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = INSECURE_DEV_SECRET_KEY
elif SECRET_KEY == INSECURE_DEV_SECRET_KEY and not DEBUG:
    raise ConfigError("SECRET_KEY is the published development key; set a random one.")
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ConfigError("SECRET_KEY is too short; use at least 32 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
PROOF_OF_WORK = env_bool("PROOF_OF_WORK", True)
SITE_URL = env_url("SITE_URL", f"http://127.0.0.1:{PORT}", {"http", "https"}).rstrip("/")
# Behind a TLS proxy the app sees http while browsers send Origin: https://…; SITE_URL's origin
# is trusted so staff sign-in and the public forms work (CSRF_TRUSTED_ORIGINS replaces it).
_SITE = urlsplit(SITE_URL)
SITE_ORIGIN = f"{_SITE.scheme}://{_SITE.netloc.lower()}"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_ORIGIN])

# The Ed25519 key that signs the transparency logs' checkpoints, in signed-note form
# (`undersigned log-keygen`); unset, one is derived from SECRET_KEY (docs/verifiable-counts.md).
LOG_SIGNING_KEY = env_str("LOG_SIGNING_KEY", "")
if LOG_SIGNING_KEY:
    from undersigned.transparency.tlog import Signer

    try:
        Signer(LOG_SIGNING_KEY)
    except ValueError as error:
        raise ConfigError(f"LOG_SIGNING_KEY: {error}") from error

# The key behind the identifiers the partner API and webhooks give rows (core/opaque_ids.py);
# unset, one is derived from SECRET_KEY, so set it before rotating SECRET_KEY.
OPAQUE_ID_KEY = env_str("OPAQUE_ID_KEY", "")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "csp",
    "undersigned.audit",
    "undersigned.notifications",
    "undersigned.campaigns",
    "undersigned.petitions",
    "undersigned.signatures",
    "undersigned.transparency",
    "undersigned.mailings",
    "undersigned.privacy",
    "undersigned.moderation",
    "undersigned.proposals",
    "undersigned.reach",
    "undersigned.debates",
    "undersigned.paper",
    "undersigned.partners",
    "undersigned.webhooks",
    "undersigned.api",
    "undersigned.web",
    "undersigned.staff",
    "undersigned.worker",
]

# The back office's paths: only these have sessions, a signed-in user, the second factor and
# flash messages (web/staff_only.py); every other path is anonymous and cookie-free.
STAFF_PATHS = ("/staff/", "/admin/")

# Every path runs through each of these, except that the web.staff_only ones do their work on
# STAFF_PATHS only (docs/scaling.md, "The public middleware stack"). A new middleware added
# here runs everywhere; one only the back office needs goes through web/staff_only.py.
MIDDLEWARE = [
    # First: the request's id, its metrics and its access-log line (operations/middleware.py);
    # a lean stack for public paths must keep it first too.
    "undersigned.operations.middleware.RequestMetricsMiddleware",
    "undersigned.web.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "undersigned.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "undersigned.web.middleware.RequestBodyLimitMiddleware",
    "undersigned.web.staff_only.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "undersigned.web.staff_only.AuthenticationMiddleware",
    "undersigned.web.staff_only.OTPMiddleware",
    # Staff sessions: idle and absolute expiry, the list of one's sessions, then the second
    # factor that staff pages and the Django admin require (staff/middleware.py; both act on
    # STAFF_PATHS only).
    "undersigned.staff.middleware.StaffSessionMiddleware",
    "undersigned.staff.middleware.TwoFactorMiddleware",
    "undersigned.web.staff_only.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, building each nonce-free policy once instead of on every answer.
    "undersigned.web.csp.CSPMiddleware",
    # Last, as django-axes asks: locks out repeated failed staff logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Within an hour, sign-in is locked after 5 wrong passwords for one account from one address,
# 10 for one account from any addresses, or 20 from one address for any accounts (password
# spraying); each group has its own limit (staff/lockout.py).
AXES_HANDLER = "undersigned.staff.lockout.StaffSignInLockout"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
SIGN_IN_FAILURES_PER_ACCOUNT = env_int("SIGN_IN_FAILURES_PER_ACCOUNT", 10, minimum=1)
SIGN_IN_FAILURES_PER_ADDRESS = env_int("SIGN_IN_FAILURES_PER_ADDRESS", 20, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
# Failures are forgotten after a complete sign-in (password and, where needed, the second
# factor: staff/two_factor.py), not after the password alone: otherwise someone who has the
# password could guess codes forever, signing in again between guesses. The reset then
# clears only that account's failures (staff/lockout.py).
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "undersigned.web.middleware.client_ip_of"
AXES_VERBOSE = False  # no usernames or addresses in the logs
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "web:home"

ROOT_URLCONF = env_str("UNDERSIGNED_URLCONF", "undersigned.config.urls")
WSGI_APPLICATION = "undersigned.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "undersigned.web.context_processors.site",
                "undersigned.web.context_processors.csp_nonce",
            ],
        },
    },
]


def _database_from_env() -> dict[str, Any]:
    default = f"sqlite:///{DATA_DIR / 'undersigned.sqlite3'}"
    url = env_url("DATABASE_URL", default, {"sqlite", "postgres", "postgresql", "pgsql"})
    try:
        # Persistent connections without a per-request health check: the check costs a round
        # trip on every request, and Django drops a broken connection after the request that
        # found it anyway.
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    except ValueError as error:
        raise ConfigError(
            f"DATABASE_URL could not be read ({error}); expected sqlite:///path or "
            "postgres://user@host:5432/name."
        ) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at the
            # start of a transaction, so concurrent writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config.setdefault("TEST", {})["NAME"] = str(DATA_DIR / "test.sqlite3")
    return config


def _replica_from_env(primary: dict[str, Any]) -> dict[str, Any] | None:
    """The "replica" alias of DATABASE_REPLICA_URL, or None when it is unset."""
    url = env_url("DATABASE_REPLICA_URL", "", {"postgres", "postgresql", "pgsql"})
    if not url:
        return None
    if primary["ENGINE"] == "django.db.backends.sqlite3":
        raise ConfigError(
            "DATABASE_REPLICA_URL is set but DATABASE_URL is SQLite; a read replica needs "
            "PostgreSQL for both (postgres://user@host:5432/name)."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    except ValueError as error:
        raise ConfigError(
            f"DATABASE_REPLICA_URL could not be read ({error}); expected "
            "postgres://user@host:5432/name."
        ) from None
    # A replica that does not answer costs a request at most this long, once per few seconds
    # (core/replica.py then reads from the primary).
    config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Test runs create no second database: the alias is the default's mirror there.
    config["TEST"] = {"MIRROR": "default"}
    return config


DATABASES = {"default": _database_from_env()}
if (_replica := _replica_from_env(DATABASES["default"])) is not None:
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["undersigned.core.replica.ReplicaRouter"]
# Seconds behind the primary beyond which the replica is passed over (core/replica.py).
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 300, minimum=1, maximum=86_400)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", {"redis", "rediss", "unix"})
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Falls back to each process's memory while Redis is down (docs/abuse.md).
            "BACKEND": "undersigned.core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "undersigned",
            # A hung Redis must cost a request a fraction of a second, not hang it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Per process. Room for many entries: the per-address sign limits of a surge would
    # otherwise evict the cached petition pages and counts.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }

# The task queue (docs/scaling.md, "Tasks"): the database (django-tasks-db) unless TASKS_URL
# names a Redis for RQ (django-tasks-rq). Keep it apart from a cache that evicts keys.
TASKS_URL = env_url("TASKS_URL", "", {"redis", "rediss", "unix"})
TASKS = tasks_config.redis_tasks() if TASKS_URL else tasks_config.DATABASE_TASKS
if TASKS_URL:
    RQ_QUEUES = tasks_config.rq_queues(TASKS_URL)
    RQ = tasks_config.RQ
    RQ_SHOW_ADMIN_LINK = False  # its admin pages would change jobs without an audit entry
    INSTALLED_APPS.append("django_rq")  # the RQ backend's system check asks for it
# /healthz?worker=required answers 503 when the task worker's last finished round is older
# than this (docs/reliability.md).
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 60, minimum=1)
# The first retry of an email after a temporary failure (SMTP 421/451, server unreachable);
# each further one waits twice as long, up to an hour (core/outbox.py: retry_delay).
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 30, minimum=1)
# How long a worker holds the batch of emails it is sending (core/outbox.py: leasing).
EMAIL_LEASE_SECONDS = env_int("EMAIL_LEASE_SECONDS", 300, minimum=5)

# Webhooks (docs/webhooks.md): events per POST, the request's timeout, how long an endpoint
# may fail before it is disabled, and whether http:// to 127.0.0.1/localhost is allowed
# (development and tests only; production endpoints are https to public addresses).
WEBHOOK_BATCH_SIZE = env_int("WEBHOOK_BATCH_SIZE", 100, minimum=1, maximum=1000)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 15, minimum=1, maximum=60)
WEBHOOK_DISABLE_AFTER_HOURS = env_int("WEBHOOK_DISABLE_AFTER_HOURS", 24, minimum=1, maximum=720)
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30, minimum=1)
WEBHOOK_LOCAL_RECEIVERS = env_bool("WEBHOOK_LOCAL_RECEIVERS", DEBUG)
# Days the delivery log (and the events it names) is kept; a disabled endpoint's waiting
# deliveries are dropped after as long.
WEBHOOK_KEEP_DAYS = env_int("WEBHOOK_KEEP_DAYS", 30, minimum=1, maximum=3650)


def _mailer_from_env() -> dict:
    url = env_url("EMAIL_URL", "", {"smtp", "smtps", "smtp+starttls"})
    if not url:
        # Kept in the database; listed at /dev/outbox/ when DEBUG is on.
        return {"BACKEND": "undersigned.notifications.backends.OutboxEmailBackend"}
    parts = urlsplit(url)
    timeout = parse_qs(parts.query).get("timeout", ["10"])[0]
    if not timeout.isdigit():
        raise ConfigError("EMAIL_URL has a malformed ?timeout=; expected whole seconds, e.g. 10.")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp+starttls",
            "timeout": int(timeout),
        },
    }


MAILERS = {"default": _mailer_from_env()}
# Emails kept in the database are listed at /dev/outbox/ only in development.
DEV_OUTBOX = DEBUG and MAILERS["default"]["BACKEND"].endswith("OutboxEmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Undersigned <no-reply@undersigned.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Argon2 first: new and re-saved passwords use it; older hashes still verify and upgrade.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("es", _("Spanish"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Request bodies are refused with 413 before anything parses them (web/middleware.py): a
# signature form is tiny; staff forms carry long texts in three languages and photos.
PUBLIC_REQUEST_BODY_LIMIT = 64 * 1024
STAFF_REQUEST_BODY_LIMITS = {
    "/admin/": 12 * 1024 * 1024,
    # Paper imports: a file over PAPER_IMPORT_MAX_BYTES is refused by the form, with a message.
    "/staff/paper/": 12 * 1024 * 1024,
    "/staff/": 6 * 1024 * 1024,
    # One recorded signature is a few hundred bytes (partners/api.py).
    "/api/private/": 16 * 1024,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # non-file fields of the staff forms

# Paper signatures (docs/paper.md): the largest file and the most rows one import takes, and
# how long a preview waits to be applied before its rows are deleted.
PAPER_IMPORT_MAX_BYTES = env_int("PAPER_IMPORT_MAX_BYTES", 8_000_000, minimum=1000)
PAPER_IMPORT_MAX_ROWS = env_int("PAPER_IMPORT_MAX_ROWS", 100_000, minimum=1)
PAPER_PREVIEW_HOURS = env_int("PAPER_PREVIEW_HOURS", 24, minimum=1)

CSRF_FAILURE_VIEW = "undersigned.web.views.csrf_failure"
# Public forms carry a signed form token instead of a CSRF cookie (see core/formtoken.py).
FORM_TOKEN_MAX_AGE = 24 * 3600
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict, for both: a staff member following a link from an email or a chat to a
# staff page arrives signed in, and the CSRF cookie comes along. (A Strict CSRF cookie would
# not: Django would set a new one for that page, and every form already open in another tab
# would then fail its CSRF check — tests/browser/test_staff_cookies.py.) Lax still keeps both
# cookies off other sites' POSTs, and the CSRF token is checked besides.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: our forms carry the token in the page
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS once the public address is https: a year, this host only (subdomains may be other
# services), sent on every answer (web/middleware.SecurityHeadersMiddleware) since behind a
# TLS proxy the app itself sees plain http. HSTS_SECONDS=0 switches it off.
SECURE_HSTS_SECONDS = env_int(
    "HSTS_SECONDS", 365 * 86400 if SITE_URL.startswith("https://") else 0, maximum=2 * 365 * 86400
)
# Browser features no page of ours uses, refused for us and for anything we embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "xr-spatial-tracking=()"
)

# Staff sessions (only staff have sessions): they end after STAFF_SESSION_IDLE_MINUTES without
# a request, and STAFF_SESSION_MAX_HOURS after signing in whatever happens (docs/security.md).
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1, maximum=24 * 7)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600

# Two-factor sign-in (django-otp): TOTP apps and passkeys (django-otp-webauthn), as a second
# factor only — a passkey never replaces the password here.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Undersigned")[:60]
OTP_WEBAUTHN_RP_ID = urlsplit(SITE_URL).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = ""  # refusals are on the audit log, without details
OTP_TOTP_THROTTLE_FACTOR = 1  # after a wrong code, wait 1, 2, 4, … seconds (per device)
if not SITE_URL.startswith("https://"):
    # Browsers treat http://localhost as secure for passkeys: development and tests only.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]

# Content Security Policy (django-csp 4): nothing inline, nothing from elsewhere, framed by
# nobody (one view may opt in: core/framing.py). CSP_REPORT_ONLY=true reports instead of
# blocking, for an operator trying a change; CSP_REPORT_URI collects the reports.
_CSP_DIRECTIVES: dict[str, Any] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
    "base-uri": [NONE],
    "object-src": [NONE],
}
if _csp_report_uri := env_url("CSP_REPORT_URI", "", {"http", "https"}):
    _CSP_DIRECTIVES["report-uri"] = [_csp_report_uri]
# (Not named CSP_…: django-csp takes such settings for its old, pre-4.0 format.)
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, Any] | None = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY: dict[str, Any] | None = None
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Signing: how long a confirmation link lives.
CONFIRMATION_TOKEN_DAYS = env_int("CONFIRMATION_TOKEN_DAYS", 7, minimum=1, maximum=90)

# Every rate limit of the site, in one table: name -> (at most this many, per this many
# seconds). Read only through core/ratelimit.py; docs/abuse.md explains each. The environment
# variable that sets one is named in its comment.
RATE_LIMITS: dict[str, tuple[int, int]] = {
    # The flood ceiling: beyond it, one address's sign requests are refused (429), on any
    # petition. SIGNS_PER_IP_PER_MINUTE.
    "sign_flood": (env_int("SIGNS_PER_IP_PER_MINUTE", 60, minimum=1), 60),
    # Holds (docs/abuse.md): over one, a signature is stored but held back from the count
    # until a moderator releases it; the signer sees the usual answer. 0 switches one off.
    # SIGN_LIMIT_PER_ADDRESS_PER_MINUTE, _PER_ADDRESS_PER_5_MINUTES, _PER_SUBNET_PER_10_MINUTES,
    # _PER_DOMAIN_PER_HOUR; per petition.
    "hold_address_minute": (env_int("SIGN_LIMIT_PER_ADDRESS_PER_MINUTE", 1), 60),
    "hold_address_5_minutes": (env_int("SIGN_LIMIT_PER_ADDRESS_PER_5_MINUTES", 5), 5 * 60),
    "hold_subnet": (env_int("SIGN_LIMIT_PER_SUBNET_PER_10_MINUTES", 30), 10 * 60),
    "hold_domain": (env_int("SIGN_LIMIT_PER_DOMAIN_PER_HOUR", 50), 3600),
    # Links re-sent to one signature by signing again (counted on its row, in the database).
    # CONFIRMATION_RESENDS_PER_HOUR.
    "confirmation_resends": (env_int("CONFIRMATION_RESENDS_PER_HOUR", 3, minimum=0), 3600),
    # "Manage my data": links asked for from one client address, and emails sent to one
    # address (counted in the database, on the requests).
    "my_data_requests": (10, 3600),
    "my_data_emails": (3, 3600),
    # Public petitions from one client address: PUBLIC_PETITION_DRAFTS_PER_IP_PER_HOUR,
    # PUBLIC_PETITION_SPONSORINGS_PER_IP_PER_HOUR.
    "proposal_drafts": (env_int("PUBLIC_PETITION_DRAFTS_PER_IP_PER_HOUR", 5, minimum=1), 3600),
    "proposal_sponsorings": (
        env_int("PUBLIC_PETITION_SPONSORINGS_PER_IP_PER_HOUR", 30, minimum=1),
        3600,
    ),
    # Bulk-invalidation previews (and confirmations, which count again) one staff member may
    # run; each is on the audit log. A count is an oracle on whatever it matches.
    # MODERATION_PREVIEWS_PER_HOUR.
    "moderation_previews": (env_int("MODERATION_PREVIEWS_PER_HOUR", 120, minimum=1), 3600),
    # Debates: "this convinced me" votes and stance answers from one reader (keyed hash of
    # address and day) an hour; beyond, they are stored held and never counted.
    # DEBATE_VOTES_PER_ADDRESS_PER_HOUR.
    "debate_votes": (env_int("DEBATE_VOTES_PER_ADDRESS_PER_HOUR", 120, minimum=1), 3600),
    # The partner API (docs/integrations.md): requests one organisation API key may make a
    # minute (API_REQUESTS_PER_KEY_PER_MINUTE), and requests with a wrong or revoked key one
    # client address may make before it is refused without a look-up.
    "api_requests": (env_int("API_REQUESTS_PER_KEY_PER_MINUTE", 300, minimum=1), 60),
    "api_bad_keys": (30, 60),
}
# Domains never limited as a domain, besides the big free-mail providers (email_checks.py).
SIGN_LIMIT_EXEMPT_DOMAINS = frozenset(d.lower() for d in env_list("SIGN_LIMIT_EXEMPT_DOMAINS", []))
# Proof of work: the browser tries up to this many hashes (half on average) to sign.
PROOF_OF_WORK_COST = env_int("PROOF_OF_WORK_COST", 50_000, minimum=1_000, maximum=10_000_000)
PROOF_OF_WORK_SECONDS = env_int("PROOF_OF_WORK_SECONDS", 30 * 60, minimum=60, maximum=86_400)
# Extra disposable-mail domains, one a line, on top of the disposable-email-domains package.
DISPOSABLE_DOMAINS_FILE = env_str("DISPOSABLE_DOMAINS_FILE", "")
if DISPOSABLE_DOMAINS_FILE and not Path(DISPOSABLE_DOMAINS_FILE).is_file():
    raise ConfigError(f"DISPOSABLE_DOMAINS_FILE={DISPOSABLE_DOMAINS_FILE!r} is not a file.")
# Recorded with every signature's consent; change it whenever the privacy notice changes.
PRIVACY_NOTICE_VERSION = env_str("PRIVACY_NOTICE_VERSION", "2026-11-27")[:40]
COUNT_CACHE_SECONDS = 2
# How long the staff dashboard's numbers are cached.
DASHBOARD_CACHE_SECONDS = 60
# The sending rate a new update mailing starts with (staff can change it per mailing).
UPDATE_EMAILS_PER_MINUTE = env_int("UPDATE_EMAILS_PER_MINUTE", 600, minimum=1, maximum=100_000)

# Where the share cards' fonts (DejaVu Sans) are (reach/share_card.py).
SHARE_CARD_FONT_DIR = "/usr/share/fonts/truetype/dejavu"

# Fraud signals (docs/fraud-review.md): a row of the last hour is an alert with at least
# MIN signatures, at least SHARE_PERCENT of the hour and SHARE_FACTOR times its usual share;
# a minute is a surge at SURGE_FACTOR times the petition's usual rate.
FRAUD_ALERT_SHARE_PERCENT = env_int("FRAUD_ALERT_SHARE_PERCENT", 20, minimum=1, maximum=100)
FRAUD_ALERT_SHARE_FACTOR = env_int("FRAUD_ALERT_SHARE_FACTOR", 3, minimum=1, maximum=1000)
FRAUD_ALERT_SURGE_FACTOR = env_int("FRAUD_ALERT_SURGE_FACTOR", 5, minimum=1, maximum=1000)
FRAUD_ALERT_MIN_SIGNATURES = env_int("FRAUD_ALERT_MIN_SIGNATURES", 20, minimum=1)

# Debates (docs/debates.md). Votes and stance answers are limited in RATE_LIMITS.
# Days after a moderator's decision that a contributor's name and address are kept.
DEBATE_CONTRIBUTOR_DAYS = env_int("DEBATE_CONTRIBUTOR_DAYS", 30, minimum=1, maximum=3650)

# Public petitions (docs/public-petitions.md): off unless PUBLIC_PETITIONS=true. Proposals go
# to the organisation with the slug PUBLIC_PETITIONS_ORGANISATION, whose moderators decide.
PUBLIC_PETITIONS = env_bool("PUBLIC_PETITIONS", False)
PUBLIC_PETITIONS_ORGANISATION = env_str("PUBLIC_PETITIONS_ORGANISATION", "")
PUBLIC_PETITION_SPONSORS = env_int("PUBLIC_PETITION_SPONSORS", 5, minimum=1, maximum=100)

# Privacy (docs/privacy.md): the notice at /privacy/ is written from these. Network data (a
# signature's subnet and address hash) serves rate limits and fraud review, which look back
# hours to days — so it is kept for days, not months.
PRIVACY_CONTROLLER = env_str("PRIVACY_CONTROLLER", "")[:200]
PRIVACY_CONTROLLER_ADDRESS = env_str("PRIVACY_CONTROLLER_ADDRESS", "")[:500]
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "")[:254]
# "Name: what they do for us; Name: …" — e.g. "Postmark: sends our emails; Hetzner: hosting".
PRIVACY_PROCESSORS = [
    item.strip()[:300] for item in env_str("PRIVACY_PROCESSORS", "").split(";") if item.strip()
]
NETWORK_DATA_DAYS = env_int("NETWORK_DATA_DAYS", 7, minimum=1, maximum=30)

# /metrics (operations/views.py, docs/operations.md): closed (404) unless METRICS_TOKEN (sent
# as "Authorization: Bearer <token>") or METRICS_ALLOWED_NETWORKS (CIDRs the scraper's
# address must be in) is set; with both, a scrape needs both.
METRICS_TOKEN = env_str("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ConfigError("METRICS_TOKEN is too short; use at least 32 random characters.")
METRICS_ALLOWED_NETWORKS = env_networks("METRICS_ALLOWED_NETWORKS")
METRICS_ENABLED = bool(METRICS_TOKEN or METRICS_ALLOWED_NETWORKS)

# Logs never carry personal data: no code passes an email, a name or an address to a logger.
# LOG_FORMAT=json writes one JSON object a line (core/jsonlog.py), which also drops paths,
# query strings and exception messages; "plain" (the default) suits a terminal. LOG_REQUESTS
# writes one access line per request (on by default with json; operations/middleware.py).
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ConfigError(f"LOG_FORMAT={LOG_FORMAT!r} is not known; use plain or json.")
LOG_REQUESTS = env_bool("LOG_REQUESTS", LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "undersigned.core.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print a second, plain line with the
        # path; its records go to the root's handler like everyone's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "undersigned.requests": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        # One line per periodic task every two seconds is noise; failures still show.
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},  # the Redis queue's (django-tasks-rq) signals
        "rq": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
FORMAT_MODULE_PATH = ["undersigned.formats"]
