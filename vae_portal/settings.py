"""Settings for the VAE portal, read from the environment (see README "Configuration").

With nothing set, everything runs on one machine: SQLite and files under ``data/``, and Celery
on kombu's filesystem transport so PDF jobs still run in a separate worker process.

Grouped by concern: core, database, accounts and login, files, e-mail, cache and rate limits,
security headers, logging, domain rules, background work (documents, antivirus, RNCP import,
Celery and its beat schedule), health check. What only the tests need is in tests/settings.py.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from vae_portal.env import env_bool, env_int, env_list, env_str

# ---------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "vae_portal.views.csrf_failure"  # in French, with a way back
# The address in e-mails' links. Unset, it is the one `make run` serves (scripts/run.sh passes
# PORT to both the server and the worker, which renders the digests): PORT=8080 gives :8080 links.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "core",  # shared machinery below every app (its Celery task: the e-mails)
    "accounts",
    "certifications",
    "dossiers",
    "juries",
    "notifications",  # in-portal notifications, e-mail preferences, daily digests (above juries)
    "backoffice",
    "messaging",  # message thread per dossier, staff-only annotations (above notifications, below backoffice)
    "audit",
    "documents",
    "accompaniment",  # accompaniment organisations ("AAP") and their staff (above dossiers, below documents)
    # django-ninja: its templates and static files serve the API docs page without any CDN.
    "ninja",
    "api",
    "francevae",
    "privacy",  # personal data (RGPD): reads what every domain app holds of a person
    "vae_portal",  # the top layer: its management commands (seed_demo) orchestrate every app
    "credentials",  # Open Badges 3.0 of acquired blocs (above backoffice, below api)
    "accrochage",  # declaring certified holders to the Caisse des Dépôts (above backoffice)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vae_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vae_portal.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Default-deny: every view needs a login unless it opts out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vae_portal.middleware.AccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vae_portal.urls"
WSGI_APPLICATION = "vae_portal.wsgi.application"
ASGI_APPLICATION = "vae_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vae_portal.context_processors.session",
                "vae_portal.context_processors.navigation",
            ],
        },
    },
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Numbers and dates go through django.utils.formats; this module adjusts Django's French formats.
FORMAT_MODULE_PATH = ["vae_portal.formats"]

# ---------------------------------------------------------------------------------------------
# Database: DATABASE_URL (PostgreSQL in production), else SQLite under DATA_DIR
# ---------------------------------------------------------------------------------------------

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # No JIT compilation: the portal's queries are short, and a subquery's cost estimate
        # made PostgreSQL compile a 5 ms query for 500 ms (bench/pages.py at 100,000 dossiers).
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------
# Accounts, login and sessions
# ---------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (docs/security.md): AXES_FAILURE_LIMIT failures on one account lock that account
# from every address, and as many from one address lock that address whatever accounts it tried
# (two independent counters), for AXES_COOLOFF_MINUTES. Five leaves room for typos; a quarter
# of an hour caps a guesser at 480 tries a day per account and per address.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The login form's field is "username" (Django's AuthenticationForm) although USERNAME_FIELD is
# "email": axes must read that one, or every attempt is stored without its account. The callable
# folds the address's case, as the login does.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
# A success forgets that account's failures from that address only (accounts/lockout.py), not
# every failure of the address as AXES_RESET_ON_SUCCESS would.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# Number of reverse proxies in front of the app (docker-compose: 1), to read the client address.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
# Sliding expiry: any request (an autosave included) extends the session, written at most once
# every SESSION_REFRESH_SECONDS (vae_portal.middleware.SlidingSessionMiddleware); the page warns
# five minutes before it ends (static/js/session.js).
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60, minimum=0)

# ---------------------------------------------------------------------------------------------
# Files: static files, uploads and their limits
# ---------------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
# Uploaded files live outside any public URL: there is no MEDIA_URL route, only views that
# check permission before streaming a file.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: per file and per dossier, in bytes (France VAE keeps files to 10–20 MB).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DOSSIER_QUOTA_BYTES = env_int("DOSSIER_QUOTA_MB", 200, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------------------------------------
# E-mail: console by default, SMTP as soon as EMAIL_HOST is set
# ---------------------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # Seconds before a silent SMTP server counts as a failed delivery, which the e-mail task
    # retries later (core.tasks): without it a hung server would hold a worker until the task's
    # time limit. 30 s is far more than a healthy server needs to answer.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    EMAIL_BACKEND = "core.mail_console.EmailBackend"  # readable in `make run`'s console
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Portail VAE <noreply@vae.example>")
# Where a user reports an accessibility problem (the accessibility statement, /accessibilite/).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "accessibilite@vae.example")

# ---------------------------------------------------------------------------------------------
# Cache and rate limits
# ---------------------------------------------------------------------------------------------

# Cache (throttling counters): in-process by default, shared by all processes with CACHE_URL.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# With a cache shared by every process, a session is read from it (no SQL query on each
# request) and written through to the database. Not with the in-process cache: another worker
# would go on reading a session its own cache kept after the logout.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if CACHE_URL else "db")
# Per scope: (attempts per client address, attempts per target e-mail address, window in seconds).
# Sign-up counts every post, refused ones too: 20 an hour from one address leaves room for a
# group signing up together in a training centre, 5 for one e-mail address for a few refused
# passwords (and caps what an inbox receives). See docs/security.md.
THROTTLE_RATES = {
    "signup": (20, 5, 3600),
    "password_reset": (20, 3, 3600),
    "resend_confirmation": (20, 3, 3600),
}
# Per logged-in user: (requests, window in seconds). The autosave script saves at most every two
# seconds of typing, and a tick box at once: 120 a minute leaves room for several tabs and quick
# clicks while stopping a runaway script. The personal data archive (a ZIP of every file) is
# costly to build: 10 an hour is more than anyone needs.
USER_THROTTLE_RATES = {
    "autosave": (env_int("AUTOSAVE_RATE_PER_MINUTE", 120, minimum=1), 60),
    "data_export": (env_int("DATA_EXPORT_RATE_PER_HOUR", 10, minimum=1), 3600),
}

# ---------------------------------------------------------------------------------------------
# Interop API (api/): rate limit and webhooks
# ---------------------------------------------------------------------------------------------

# Requests per token and window in seconds. A certifier's system syncing its dossiers page by
# page (100 a page) stays well under 120 a minute; a runaway loop is stopped.
API_RATE_LIMIT = (env_int("API_RATE_PER_MINUTE", 120, minimum=1), 60)
# Webhooks of the API (api/webhooks.py). In production a certifier's endpoint must be https (the
# body names dossiers; the signature proves who sent it, not who reads it on the way) and must not
# resolve to a private or loopback address (else the portal could be made to call its own
# network: SSRF). With DEBUG, a developer points one at a receiver on their own machine, so both
# default to DEBUG; an intranet deployment that does want them sets the variables explicitly.
API_WEBHOOKS_ALLOW_HTTP = env_bool("API_WEBHOOKS_ALLOW_HTTP", DEBUG)
API_WEBHOOKS_ALLOW_PRIVATE = env_bool("API_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# A receiver answers quickly and does its work later; 10 s keeps a slow one from holding a worker.
API_WEBHOOKS_TIMEOUT = env_int("API_WEBHOOKS_TIMEOUT", 10, minimum=1)
# Retries for 24 hours after the event (2, 4, 8… minutes, at most an hour apart): a receiver down
# for a night gets everything in the morning.
API_WEBHOOKS_RETRY_HOURS = env_int("API_WEBHOOKS_RETRY_HOURS", 24, minimum=1)
# A pending message whose next attempt is this late is queued again by beat (its task was lost):
# long enough that a task merely waiting in a busy queue is not doubled.
API_WEBHOOKS_SWEEP_STALE_MINUTES = env_int("API_WEBHOOKS_SWEEP_STALE_MINUTES", 5, minimum=1)

# ---------------------------------------------------------------------------------------------
# Security headers: the strict ones apply whenever DEBUG is off
# ---------------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script, no inline style, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (vae_portal.middleware): the portal uses none of these browser features
# (files are downloaded, never shown in a frame), so no page, nor anything injected into one, may
# use them; "interest-cohort" and "browsing-topics" also keep its pages out of ad profiling.
PERMISSIONS_POLICY = [
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "storage-access",
    "usb",
    "web-share",
    "window-management",
    "xr-spatial-tracking",
]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# ---------------------------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every page it lays out at INFO.
    # fontTools (WeasyPrint's font subsetting) logs every table it prunes.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------------------------
# Domain rules: audit trail, jury access, personal data retention
# ---------------------------------------------------------------------------------------------

# Audit trail: consecutive saves of one statement by one person within this many minutes are
# one row of the trail (0: one row per save). See docs/audit.md.
AUDIT_COALESCE_MINUTES = env_int("AUDIT_COALESCE_MINUTES", 30, minimum=0)

# Jury members read the dossiers, proofs and procès-verbal of a session until this many days
# after its procès-verbal became final, then no more (docs/security.md, « Accès aux dossiers »).
# 30 days: the decision letters reach the candidates, whose questions and recours gracieux come
# in the following weeks, and the président may need the dossier at hand to answer the
# certifier; after that, the certifier (who keeps every dossier) answers. 0: access ends as soon
# as the procès-verbal is final.
JURY_ACCESS_DAYS_AFTER_MINUTES = env_int("JURY_ACCESS_DAYS_AFTER_MINUTES", 30, minimum=0)
# Once an accompaniment ends (ended by the organisation, left by the candidate), its staff still
# read the dossier, without writing, for this many days (to close their records, answer a
# funder); then nothing. 0: access ends with the accompaniment.
ACCOMPANIMENT_READ_DAYS_AFTER_END = env_int("ACCOMPANIMENT_READ_DAYS_AFTER_END", 30, minimum=0)
# Attendance, decisions and signatures of the procès-verbal are recorded from the session's start
# minus this many minutes (juries.services.locking.ensure_started). 0: a jury records nothing
# before it sits; a certifier whose juries settle in a quarter of an hour early may allow 15.
JURY_EARLY_MARGIN_MINUTES = env_int("JURY_EARLY_MARGIN_MINUTES", 0, minimum=0)
# A convoked candidate gets one reminder e-mail this many days before the day of their slot
# (juries.services.convocations.send_reminders, daily beat at 08:00).
CONVOCATION_REMINDER_DAYS = env_int("CONVOCATION_REMINDER_DAYS", 7, minimum=1)
# Jury members who still have links to declare or candidates to score are reminded by e-mail
# this many days before their session (notifications.tasks.send_jury_reminders, daily).
JURY_REMINDER_DAYS = env_int("JURY_REMINDER_DAYS", 3, minimum=1)

# Personal data (README, "Données personnelles"): drafts and withdrawn dossiers without a
# decision, inactive for DRAFT_RETENTION_DAYS, are deleted by `purge_drafts` (daily, Celery
# beat), DRAFT_PURGE_NOTICE_DAYS after an e-mail notice.
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 365, minimum=2)
DRAFT_PURGE_NOTICE_DAYS = env_int("DRAFT_PURGE_NOTICE_DAYS", 30, minimum=1)
if DRAFT_PURGE_NOTICE_DAYS >= DRAFT_RETENTION_DAYS:
    raise ImproperlyConfigured("DRAFT_PURGE_NOTICE_DAYS must be shorter than DRAFT_RETENTION_DAYS")

# ---------------------------------------------------------------------------------------------
# Background work: generated documents, antivirus, RNCP import
# ---------------------------------------------------------------------------------------------

# PDF documents (documents app): a render is interrupted after the soft limit (recorded as a
# failed attempt) and killed after the hard one; 3 attempts, then the document is failed. The
# sweeper re-queues documents left queued (broker down at submission) or running (worker
# killed) for too long.
DOCUMENTS_SOFT_TIME_LIMIT = env_int("DOCUMENTS_SOFT_TIME_LIMIT", 240, minimum=5)
DOCUMENTS_TIME_LIMIT = DOCUMENTS_SOFT_TIME_LIMIT + 30
DOCUMENTS_MAX_ATTEMPTS = 3
DOCUMENTS_SWEEP_SECONDS = env_int("DOCUMENTS_SWEEP_SECONDS", 60, minimum=1)
DOCUMENTS_QUEUED_STALE_SECONDS = env_int("DOCUMENTS_QUEUED_STALE_SECONDS", 300, minimum=1)
DOCUMENTS_RUNNING_STALE_SECONDS = DOCUMENTS_TIME_LIMIT + 60

# --- Uploads and generated PDFs: limits (docs/security.md, « Fichiers déposés et PDF ») ----------
# One block, kept together on purpose. A PDF proof's pages are copied into the dossier PDF: a
# 2,000-page proof kept a worker busy for 37 s, 20,000 pages ran past the time limit three times.
# 100 pages is more than any attestation, pay slip or report a candidate needs; a dossier with
# 500 pages of proofs renders in a few seconds (4 s on the development machine), far below
# DOCUMENTS_SOFT_TIME_LIMIT.
PROOF_MAX_PAGES = env_int("PROOF_MAX_PAGES", 100, minimum=1)
DOSSIER_MAX_PROOF_PAGES = env_int("DOSSIER_MAX_PROOF_PAGES", 500, minimum=1)
# Draft previews: a candidate asks for at most PREVIEWS_PER_HOUR of them an hour (counted in the
# cache: share it between processes with CACHE_URL); a failed PDF can be retried from its page
# DOCUMENTS_MAX_RETRIES times (an administrator is not limited): a document that fails three
# attempts in a row will most likely fail again, and each attempt may take a worker for minutes.
# Previews have a queue of their own (DOCUMENTS_PREVIEW_QUEUE, with Celery's queues below).
PREVIEWS_PER_HOUR = env_int("PREVIEWS_PER_HOUR", 10, minimum=1)
DOCUMENTS_MAX_RETRIES = env_int("DOCUMENTS_MAX_RETRIES", 3, minimum=0)
# --- end of « Uploads and generated PDFs » -------------------------------------------------------

# Antivirus: with CLAMD_SOCKET (a Unix socket) or CLAMD_HOST set, every uploaded file is scanned
# by a worker (dossiers.scanning, clamd's INSTREAM) and certifiers and juries may download it only
# once found clean; an infected file is moved to QUARANTINE_DIR, outside MEDIA_ROOT. Without
# them, files are "not scanned" and downloadable at once. clamd's StreamMaxLength must be at
# least UPLOAD_MAX_MB.
CLAMD_SOCKET = env_str("CLAMD_SOCKET")
CLAMD_HOST = env_str("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310, minimum=1)
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 60, minimum=1)
QUARANTINE_DIR = Path(env_str("QUARANTINE_DIR", str(DATA_DIR / "quarantine"))).resolve()
if QUARANTINE_DIR.is_relative_to(MEDIA_ROOT):
    raise ImproperlyConfigured("QUARANTINE_DIR must be outside MEDIA_ROOT")
QUARANTINE_RETENTION_DAYS = env_int("QUARANTINE_RETENTION_DAYS", 30, minimum=1)
# Every SCAN_SWEEP_SECONDS, beat queues again the scans pending for SCAN_STALE_SECONDS (broker or
# clamd down, message lost) and deletes quarantined files past their retention.
SCAN_STALE_SECONDS = env_int("SCAN_STALE_SECONDS", 600, minimum=1)
SCAN_SWEEP_SECONDS = env_int("SCAN_SWEEP_SECONDS", 300, minimum=1)

# RNCP import (docs/security.md, "Import RNCP"). The national flux is about 75 MB of XML (a zip
# of a few MB), its longest texts tens of thousands of characters: each default leaves that
# room to grow several times while bounding what a hostile file costs. The upload is refused past
# RNCP_UPLOAD_MAX_MB as it arrives; the worker that reads it stops past RNCP_INFLATED_MAX_MB of
# XML (counted as it decompresses), at a text node over RNCP_TEXT_NODE_MAX_CHARS characters and
# at a fiche over RNCP_FICHE_MAX_CHARS (what one fiche may hold in memory). import_rncp applies
# the same reading limits.
RNCP_UPLOAD_MAX_BYTES = env_int("RNCP_UPLOAD_MAX_MB", 100, minimum=1) * 1024 * 1024
RNCP_INFLATED_MAX_BYTES = env_int("RNCP_INFLATED_MAX_MB", 250, minimum=1) * 1024 * 1024
RNCP_TEXT_NODE_MAX_CHARS = env_int("RNCP_TEXT_NODE_MAX_CHARS", 1_000_000, minimum=1000)
RNCP_FICHE_MAX_CHARS = env_int("RNCP_FICHE_MAX_CHARS", 5_000_000, minimum=1000)
# An uploaded flux is read by a worker (certifications.tasks): 3 attempts when the worker fails
# (a broken file fails at once); the sweeper publishes again uploads left queued or running too
# long, with the documents' thresholds (the same worker, the same time limits).
RNCP_PARSE_MAX_ATTEMPTS = 3
RNCP_QUEUED_STALE_SECONDS = DOCUMENTS_QUEUED_STALE_SECONDS
RNCP_RUNNING_STALE_SECONDS = DOCUMENTS_RUNNING_STALE_SECONDS

# ---------------------------------------------------------------------------------------------
# Connectors: France VAE, Open Badges, Caisse des Dépôts
# ---------------------------------------------------------------------------------------------

# France VAE connector (francevae/, docs/france-vae.md). The key that encrypts each
# organisation's France VAE token (a Fernet key: `python -c "from cryptography.fernet import
# Fernet; print(Fernet.generate_key().decode())"`). Empty: derived from SECRET_KEY, fine on one
# machine; production sets its own so that the two can be rotated apart.
FRANCE_VAE_SECRET_KEY = env_str("FRANCE_VAE_SECRET_KEY")
# Every call to France VAE waits this long at most: a slow answer must not hold a worker.
FRANCE_VAE_TIMEOUT_SECONDS = env_int("FRANCE_VAE_TIMEOUT_SECONDS", 20, minimum=1)
# A JSON answer larger than this is refused (a page of 100 dossiers is far below); files are
# bounded by UPLOAD_MAX_BYTES.
FRANCE_VAE_MAX_ANSWER_BYTES = env_int("FRANCE_VAE_MAX_ANSWER_BYTES", 10_000_000, minimum=10_000)
# A message that fails for a reason that may pass (5xx, timeout) is tried again after 1, 2, 4…
# minutes, MAX_ATTEMPTS times in all (about 17 hours with 10), then shown as failed.
FRANCE_VAE_RETRY_BASE_SECONDS = env_int("FRANCE_VAE_RETRY_BASE_SECONDS", 60, minimum=1)
FRANCE_VAE_MAX_ATTEMPTS = env_int("FRANCE_VAE_MAX_ATTEMPTS", 10, minimum=1)
# How long a message that carries a portal PDF (decision letter, convocation) waits for it to be
# rendered before leaving without it (France VAE's ``document`` field is optional).
FRANCE_VAE_DOCUMENT_WAIT_SECONDS = env_int("FRANCE_VAE_DOCUMENT_WAIT_SECONDS", 3600, minimum=0)
# How often beat reads the new dossiers of every connection: France VAE has no push to us, and
# the two-month delay of L6412-2 makes a quarter of an hour more than enough.
FRANCE_VAE_SYNC_SECONDS = env_int("FRANCE_VAE_SYNC_SECONDS", 900, minimum=30)

# Open Badges (credentials app). Each certifier's Ed25519 signing key is a PEM file in this folder
# (created on first use), never in the database nor under MEDIA_ROOT: back it up with the
# database, or issued badges can no longer be checked once the DID document is served from a new
# key.
BADGE_KEYS_DIR = Path(env_str("BADGE_KEYS_DIR", str(DATA_DIR / "badge-keys"))).resolve()
if BADGE_KEYS_DIR.is_relative_to(MEDIA_ROOT):
    raise ImproperlyConfigured("BADGE_KEYS_DIR must be outside MEDIA_ROOT")
# Bits of each certifier's revocation list: 131,072 is the Bitstring Status List minimum (16 KB),
# which keeps one holder's index from standing out; it bounds the badges a certifier can issue.
BADGE_STATUS_LIST_SIZE = env_int("BADGE_STATUS_LIST_SIZE", 131072, minimum=131072)

# Declaration to the Caisse des Dépôts (accrochage app). The CDC's kit (its XSD) is the
# certifier's to download from the CDC: the portal ships none. When a .xsd file is in this
# folder, every flux is checked against it before it can be downloaded.
CDC_KIT_DIR = Path(env_str("CDC_KIT_DIR", str(DATA_DIR / "cdc-kit"))).resolve()

# ---------------------------------------------------------------------------------------------
# Celery: broker, queues, time limits, beat schedule
# ---------------------------------------------------------------------------------------------

# Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).
REDIS_URL = env_str("REDIS_URL")
BROKER_DIR = DATA_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
else:
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # Broadcasts (celery control, purge): under DATA_DIR too, not in the current directory.
        "control_folder": str(BROKER_DIR / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Queues. E-mails (core.emails) go through a queue of their own, so that a confirmation link or
# a password reset does not line up behind a burst of PDF renders (minutes each) on the default
# queue; draft previews too, so that a flood of them never holds back the submitted dossiers'
# PDFs (on the default queue, with every other task). A worker consuming several queues takes
# from each in turn, so a task waits for a process to be free, not for every task queued before
# it. Every worker must consume every queue of CELERY_TASK_QUEUES (scripts/run.sh,
# docker-compose.yml, tests: `-Q celery,emails,previews`; tests/documents/test_queues.py checks
# it); a worker started without -Q consumes them all as well. For e-mails with processes of their
# own, run one more worker with `-Q emails`.
CELERY_TASK_DEFAULT_QUEUE = "celery"
EMAILS_QUEUE = "emails"
DOCUMENTS_PREVIEW_QUEUE = "previews"
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(EMAILS_QUEUE), Queue(DOCUMENTS_PREVIEW_QUEUE))
CELERY_TASK_ROUTES = {
    "core.tasks.send_email": {"queue": EMAILS_QUEUE},
    "api.tasks.deliver_webhook": {"queue": CELERY_TASK_DEFAULT_QUEUE},
}

# Time limits: the PDF renders' (above), the longest work any task does.
CELERY_TASK_SOFT_TIME_LIMIT = DOCUMENTS_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = DOCUMENTS_TIME_LIMIT
if REDIS_URL and CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= DOCUMENTS_TIME_LIMIT:
    # Redis would hand a message still being rendered to a second worker.
    raise ImproperlyConfigured("DOCUMENTS_SOFT_TIME_LIMIT is too long for the Redis visibility timeout")

# Periodic tasks, run by `celery worker --beat` (scripts/run.sh). A sweeper's message expires
# after one period: a backlog of sweeps (worker down) collapses into the next one.
# Days before the two-month deadline of a recevabilité request when the certifier's staff are
# reminded (dossiers.services.check_feasibility_deadlines).
FEASIBILITY_REMINDER_DAYS = env_int("FEASIBILITY_REMINDER_DAYS", 15, minimum=1)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Re-queue PDF documents left queued or running too long (DOCUMENTS_*_STALE_SECONDS).
    "sweep-documents": {
        "task": "documents.tasks.sweep_documents",
        "schedule": DOCUMENTS_SWEEP_SECONDS,
        "options": {"expires": DOCUMENTS_SWEEP_SECONDS},
    },
    # Publish again RNCP uploads left queued or running too long (RNCP_*_STALE_SECONDS), at the
    # documents' pace: the same worker, the same time limits.
    "sweep-rncp-uploads": {
        "task": "certifications.tasks.sweep_rncp_uploads",
        "schedule": DOCUMENTS_SWEEP_SECONDS,
        "options": {"expires": DOCUMENTS_SWEEP_SECONDS},
    },
    # Queue again the antivirus scans pending too long and delete quarantined files past their
    # retention (SCAN_STALE_SECONDS, QUARANTINE_RETENTION_DAYS).
    "sweep-scans": {
        "task": "dossiers.tasks.sweep_scans",
        "schedule": SCAN_SWEEP_SECONDS,
        "options": {"expires": SCAN_SWEEP_SECONDS},
    },
    # Remind certifiers before the two months of a recevabilité request, and record the implicit
    # recevabilité of those past them (Code du travail L6412-2): hourly.
    "feasibility-deadlines": {
        "task": "dossiers.tasks.check_feasibility_deadlines",
        "schedule": crontab(minute=15),
        "options": {"expires": 3600},
    },
    # Notify, then delete, inactive drafts (DRAFT_RETENTION_DAYS): daily, at night.
    "purge-drafts": {"task": "accounts.tasks.purge_drafts", "schedule": crontab(hour=3, minute=30)},
    # Read the new dossiers of every France VAE connection (FRANCE_VAE_SYNC_SECONDS).
    "francevae-sync": {
        "task": "francevae.tasks.sync_all",
        "schedule": FRANCE_VAE_SYNC_SECONDS,
        "options": {"expires": FRANCE_VAE_SYNC_SECONDS},
    },
    # Queue again the webhook messages whose task was lost (broker down at commit), every 5 minutes.
    "webhooks-sweep": {"task": "api.tasks.sweep_webhooks", "schedule": 300, "options": {"expires": 300}},
    # Remind convoked candidates of their jury, CONVOCATION_REMINDER_DAYS days before: daily, at 08:00.
    "convocation-reminders": {
        "task": "juries.tasks.send_convocation_reminders",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 3600},
    },
    # The daily digest of notifications, to those who chose it (the default for the certifiers'
    # staff) and have something waiting: at 8:00, Paris time (CELERY_TIMEZONE).
    "notifications-digest": {"task": "notifications.tasks.send_daily_digests", "schedule": crontab(hour=8, minute=0)},
    # Remind jury members of a session within JURY_REMINDER_DAYS days (once per session): daily.
    "jury-reminders": {"task": "notifications.tasks.send_jury_reminders", "schedule": crontab(hour=7, minute=30)},
    # Send the decisions waiting in the France VAE outbox, every minute.
    "francevae-outbox": {"task": "francevae.tasks.flush_outbox", "schedule": 60, "options": {"expires": 60}},
}

# ---------------------------------------------------------------------------------------------
# Health check (/healthz, vae_portal/health.py)
# ---------------------------------------------------------------------------------------------

# The worker touches this file every 30 s (vae_portal/celery.py); a worker whose heartbeat file
# is older than HEALTHZ_WORKER_STALE_SECONDS is down.
WORKER_HEARTBEAT_FILE = env_str("WORKER_HEARTBEAT_FILE", str(DATA_DIR / "worker-heartbeat"))
HEALTHZ_WORKER_STALE_SECONDS = env_int("HEALTHZ_WORKER_STALE_SECONDS", 120, minimum=1)
# Which check failed and how long each took are shown to whoever sends this token (monitoring)
# and to staff; everyone else reads only ok / fail. Empty: staff only.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN")
