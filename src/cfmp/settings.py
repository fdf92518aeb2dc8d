"""Django settings for CFMP, read from environment variables (see README, "Configuration")."""

from __future__ import annotations

import datetime
import importlib
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cfmp.core.env import env_bool, env_list

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CFMP_VAR_DIR", "var")).resolve()

# Known so that a deployment can be refused when it still uses it (see cfmp.core.checks).
INSECURE_DEFAULT_SECRET_KEY = "cfmp-insecure-default-secret-key-for-local-development-only"


DEBUG = env_bool("CFMP_DEBUG", False)
CFMP_DEMO = env_bool("CFMP_DEMO", False)


def demo_secret_key() -> str:
    """The demo's own random key, made once in CFMP_VAR_DIR: the demo runs without DEBUG
    (no URL lists on a 404) and so needs a real key. A deployment sets CFMP_SECRET_KEY."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # created readable by this user alone from the first byte
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it meanwhile
        else:
            with os.fdopen(descriptor, "w") as key_file:
                key_file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("CFMP_SECRET_KEY") or (
    demo_secret_key() if CFMP_DEMO else INSECURE_DEFAULT_SECRET_KEY
)
CFMP_CNIC_KEY = os.environ.get("CFMP_CNIC_KEY", "")
# A mobile given for this many different citizens within the window is a data-quality signal.
CFMP_SHARED_MOBILE_THRESHOLD = int(os.environ.get("CFMP_SHARED_MOBILE_THRESHOLD", 3))
CFMP_SHARED_MOBILE_WINDOW_DAYS = int(os.environ.get("CFMP_SHARED_MOBILE_WINDOW_DAYS", 30))
# Outreach rules (see README): when, how often and how late citizens may be contacted.
# The demo (`make run` sets CFMP_DEMO=1): transactions keep arriving, contacts go out at any
# hour, and a plan's days pass in seconds (CFMP_TIME_SCALE: 5760 makes a day 15 seconds).
# Only the demo's clock may run fast: a deployment's plans, SLAs and retries run in real time.
CFMP_TIME_SCALE = float(os.environ.get("CFMP_TIME_SCALE", 5760 if CFMP_DEMO else 1))
if CFMP_TIME_SCALE != 1 and not CFMP_DEMO:
    raise ImproperlyConfigured(
        "CFMP_TIME_SCALE makes days pass in seconds and is only for the demo: unset it, "
        "or set CFMP_DEMO=1 for a demonstration."
    )
# The built-in simulator (SMS and robocalls answered by simulated citizens) works only in the
# demo and in CFMP's own tests (CFMP_TESTING): anywhere else it would invent feedback.
CFMP_TESTING = env_bool("CFMP_TESTING", False)
CFMP_SIMULATOR_ALLOWED = CFMP_DEMO or CFMP_TESTING
CFMP_OUTREACH_WINDOW = os.environ.get(
    "CFMP_OUTREACH_WINDOW", "00:00-24:00" if CFMP_DEMO else "09:00-20:00"
)
CFMP_FATIGUE_DAYS = int(os.environ.get("CFMP_FATIGUE_DAYS", 30))
CFMP_SURVEY_EXPIRY_DAYS = int(os.environ.get("CFMP_SURVEY_EXPIRY_DAYS", 14))
CFMP_MANUAL_SAMPLE_SEED = os.environ.get("CFMP_MANUAL_SAMPLE_SEED", "cfmp")
# Channel types (docs/channels.md): each a package of cfmp.channels with its adapter, views,
# URLs, settings (its `settings.py`, read in below), checks, commands and docs. A deployment
# chooses among them with CFMP_SMS_CHANNEL and CFMP_VOICE_CHANNEL.
CFMP_CHANNEL_TYPES = [
    "cfmp.channels.simulator",
    "cfmp.channels.kannel",
    "cfmp.channels.webhook",
    "cfmp.channels.sip",
    "cfmp.channels.twilio",
    "cfmp.channels.whatsapp",
]
for _package in CFMP_CHANNEL_TYPES:
    _type_settings = importlib.import_module(f"{_package}.settings")
    globals().update({k: v for k, v in vars(_type_settings).items() if k.startswith("CFMP_")})
# SMS goes through the built-in simulator unless CFMP_SMS_CHANNEL names a gateway (kannel).
CFMP_SMS_CHANNEL = os.environ.get("CFMP_SMS_CHANNEL", "simulator")
CFMP_SMS_SENDER = os.environ.get("CFMP_SMS_SENDER", "8070")
# Long texts go as several SMS (parts). A plan's text needing more than CFMP_SMS_MAX_SEGMENTS
# is warned about; more than the gateway sends (CFMP_SMS_GATEWAY_MAX_PARTS: Kannel's
# max-messages in the configuration `cfmp kannel-config` writes) is refused. The price of a
# part (rupees) shows a plan's cost per citizen; 0 shows parts only.
CFMP_SMS_MAX_SEGMENTS = int(os.environ.get("CFMP_SMS_MAX_SEGMENTS", 4))
CFMP_SMS_GATEWAY_MAX_PARTS = int(os.environ.get("CFMP_SMS_GATEWAY_MAX_PARTS", 10))
CFMP_SMS_PRICE_PER_PART = float(os.environ.get("CFMP_SMS_PRICE_PER_PART", 0))
# An SMS the gateway accepted but reported nothing more of after this long is "sent, no
# report": counted contacted, not reached (a late report still lands).
CFMP_REPORT_WAIT_HOURS = float(os.environ.get("CFMP_REPORT_WAIT_HOURS", 48))
# Robocalls: "simulator" (default), "sip" (CFMP dials a SIP trunk or PBX itself) or
# "twilio" (a Twilio-compatible cloud voice API). Every voice gateway's timings and caller id:
CFMP_VOICE_CHANNEL = os.environ.get("CFMP_VOICE_CHANNEL", "simulator")
CFMP_CALL_RING_SECONDS = int(os.environ.get("CFMP_CALL_RING_SECONDS", 30))
CFMP_CALL_DIGIT_SECONDS = int(os.environ.get("CFMP_CALL_DIGIT_SECONDS", 6))
CFMP_CALLER_ID = os.environ.get("CFMP_CALLER_ID", "8070")
# A call with no outcome this long after it was placed (its worker stopped) is failed.
CFMP_CALL_LOST_MINUTES = int(os.environ.get("CFMP_CALL_LOST_MINUTES", 15))
# Kiosks: visits a kiosk may send in any minute; a person's visits per day (by fingerprint);
# how far a kiosk's clock may drift and how long it may be silent before the secretariat
# is told; the identity verification service ("simulator", or a deployment's adapter).
CFMP_KIOSK_VISITS_PER_MINUTE = int(os.environ.get("CFMP_KIOSK_VISITS_PER_MINUTE", 6))
CFMP_KIOSK_VISITS_PER_PERSON_PER_DAY = int(
    os.environ.get("CFMP_KIOSK_VISITS_PER_PERSON_PER_DAY", 3)
)
CFMP_KIOSK_MAX_CLOCK_SKEW_SECONDS = int(os.environ.get("CFMP_KIOSK_MAX_CLOCK_SKEW_SECONDS", 120))
CFMP_KIOSK_OFFLINE_MINUTES = int(os.environ.get("CFMP_KIOSK_OFFLINE_MINUTES", 30))
# The simulator believes any fingerprint it is shown: only for the demo and development.
CFMP_KIOSK_IDENTITY = os.environ.get(
    "CFMP_KIOSK_IDENTITY", "simulator" if CFMP_DEMO or DEBUG else "none"
)
# Where gateways call back (delivery reports), and the secret their callbacks are signed with.
CFMP_PUBLIC_URL = os.environ.get("CFMP_PUBLIC_URL", "http://127.0.0.1:8000")
CFMP_WEBHOOK_SECRET = os.environ.get("CFMP_WEBHOOK_SECRET") or f"webhooks:{SECRET_KEY}"
# A classification less confident than this goes to the review queue.
CFMP_REVIEW_BELOW = float(os.environ.get("CFMP_REVIEW_BELOW", 0.6))
CFMP_REPLY_WINDOW_DAYS = int(os.environ.get("CFMP_REPLY_WINDOW_DAYS", 14))
# The call centre: tries per citizen who does not answer, minutes between them, and how long
# an agent may hold a call before it returns to the queue.
CFMP_CALL_TRIES = int(os.environ.get("CFMP_CALL_TRIES", 3))
CFMP_CALL_RETRY_MINUTES = int(os.environ.get("CFMP_CALL_RETRY_MINUTES", 120))
CFMP_CALL_HOLD_MINUTES = int(os.environ.get("CFMP_CALL_HOLD_MINUTES", 30))
# Case digests and other mail: SMTP in production (CFMP_EMAIL_HOST), printed to the log
# otherwise.
EMAIL_HOST = os.environ.get("CFMP_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("CFMP_EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("CFMP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CFMP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CFMP_EMAIL_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CFMP_EMAIL_FROM", "cfmp@localhost")
# Reports: for office heads (and anyone but the secretariat and auditors reading single
# officials), a cell drawn from fewer replies than this is not shown.
CFMP_REPORT_MIN_RESPONSES = int(os.environ.get("CFMP_REPORT_MIN_RESPONSES", 5))
# Complainants' anonymity (issue 20, docs/privacy.md): below the identity roles, every
# complaint is shown so that at least this many of its office's citizens share what is shown
# (cfmp.feedback.anonymity). 1 turns the guarantee off (never in a deployment).
CFMP_ANONYMITY_K = int(os.environ.get("CFMP_ANONYMITY_K", 5))
# Complaint figures of a week reach readers below the identity roles this many days after the
# week ends (docs/privacy.md, "Reports"): by then its surveys have expired and replies are in.
CFMP_REPORT_SETTLE_DAYS = int(os.environ.get("CFMP_REPORT_SETTLE_DAYS", CFMP_SURVEY_EXPIRY_DAYS))
# Rankings of offices and officials: only from this many replies.
CFMP_RANKING_MIN_RESPONSES = int(os.environ.get("CFMP_RANKING_MIN_RESPONSES", 10))
# Public scorecards (issue 23, docs/public.md): no cell from fewer replies than this; time to
# action from at least CFMP_PUBLIC_MIN_CASES cases; the headline figures cover the last
# CFMP_PUBLIC_PERIOD_MONTHS complete calendar months; pages and figures are kept in the cache
# (and by browsers and proxies: Cache-Control max-age) this many seconds; the open data's
# licence; which sites may embed an office's widget (CSP frame-ancestors).
CFMP_PUBLIC_MIN_RESPONSES = int(os.environ.get("CFMP_PUBLIC_MIN_RESPONSES", 30))
CFMP_PUBLIC_MIN_CASES = int(os.environ.get("CFMP_PUBLIC_MIN_CASES", 5))
CFMP_PUBLIC_PERIOD_MONTHS = int(os.environ.get("CFMP_PUBLIC_PERIOD_MONTHS", 3))
CFMP_PUBLIC_CACHE_SECONDS = int(os.environ.get("CFMP_PUBLIC_CACHE_SECONDS", 3600))
CFMP_PUBLIC_LICENCE = os.environ.get("CFMP_PUBLIC_LICENCE", "CC BY 4.0")
CFMP_PUBLIC_LICENCE_URL = os.environ.get(
    "CFMP_PUBLIC_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
CFMP_PUBLIC_EMBED_ANCESTORS = env_list("CFMP_PUBLIC_EMBED_ANCESTORS", ["*"])
# Alerts: the false-discovery rate kept over all offices (and officials) tested each week.
CFMP_ALERT_FDR = float(os.environ.get("CFMP_ALERT_FDR", 0.05))
# …and an office whose response rate is significantly below this share of its peers' is
# alerted (issue 23: wrong numbers recorded?).
CFMP_LOW_RESPONSE_FACTOR = float(os.environ.get("CFMP_LOW_RESPONSE_FACTOR", 0.5))
# Cases: tell citizens whose bribe complaint led to a sanction that action was taken.
CFMP_CLOSE_THE_LOOP = env_bool("CFMP_CLOSE_THE_LOOP", False)
# Attempts per send task, handed to the gateway concurrently.
CFMP_SEND_BATCH = int(os.environ.get("CFMP_SEND_BATCH", 50))
CFMP_CONTACT_MAX_TRIES = int(os.environ.get("CFMP_CONTACT_MAX_TRIES", 3))
CFMP_RETRY_BACKOFF_MINUTES = int(os.environ.get("CFMP_RETRY_BACKOFF_MINUTES", 30))
CFMP_QUEUED_TIMEOUT_MINUTES = int(os.environ.get("CFMP_QUEUED_TIMEOUT_MINUTES", 10))
CFMP_SENDING_TIMEOUT_MINUTES = int(os.environ.get("CFMP_SENDING_TIMEOUT_MINUTES", 30))
# Issue 18, hostile input: no date before the programme's epoch is accepted anywhere
# (cfmp.core.bounds); a background item that keeps failing is quarantined and retried with
# backoff (first after CFMP_QUARANTINE_BACKOFF_SECONDS, doubling) up to
# CFMP_QUARANTINE_MAX_ATTEMPTS times, then left failed with its reason (cfmp.core.quarantine).
CFMP_EPOCH = datetime.date.fromisoformat(os.environ.get("CFMP_EPOCH", "2000-01-01"))
CFMP_QUARANTINE_MAX_ATTEMPTS = int(os.environ.get("CFMP_QUARANTINE_MAX_ATTEMPTS", 5))
CFMP_QUARANTINE_BACKOFF_SECONDS = int(os.environ.get("CFMP_QUARANTINE_BACKOFF_SECONDS", 300))
ALLOWED_HOSTS = env_list("CFMP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CFMP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # cfmp.core before whitenoise and staticfiles: its runserver (which refuses an insecure
    # start) must win over theirs.
    "cfmp.core",
    "django_filters",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "cfmp.registry",
    "cfmp.accounts",
    "cfmp.intake",
    "cfmp.outreach",
    "cfmp.feedback",
    "cfmp.cases",
    "cfmp.reports",
    "cfmp.kiosk",
    "cfmp.public",
    *CFMP_CHANNEL_TYPES,
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Issue 19 (security): sign-in throttling, second factor, Content-Security-Policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cfmp.public.middleware.PublicCacheMiddleware",  # issue 23: public pages from the cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cfmp.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cfmp.core.middleware.BoundsMiddleware",  # issue 18: bad query values and OutOfBounds → 400
    "csp.middleware.CSPMiddleware",
    "cfmp.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cfmp.urls"
WSGI_APPLICATION = "cfmp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cfmp.core.context_processors.navigation",
            ],
        },
    },
]


def database_from_env() -> dict[str, Any]:
    default_url = f"sqlite:///{VAR_DIR / 'cfmp.sqlite3'}"
    url = os.environ.get("DATABASE_URL") or default_url
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL and IMMEDIATE transactions let the web process and the worker share
        # one SQLite file without "database is locked" on every concurrent write.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("CFMP_PASSWORD_MIN_LENGTH", 12))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cfmp.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "cfmp.accounts.passwords.RepeatedCharacterValidator"},
]

# Session security: officials' evidence and citizens' identities sit behind these logins.
# The demo serves plain HTTP on this machine; everything else sends cookies only over HTTPS.
SECURE_COOKIES = env_bool("CFMP_SECURE_COOKIES", not (DEBUG or CFMP_DEMO))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("CFMP_SESSION_AGE_SECONDS", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("CFMP_SSL_REDIRECT", False)
CFMP_BEHIND_TLS_PROXY = env_bool("CFMP_BEHIND_TLS_PROXY", False)
if CFMP_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Issue 19: security (docs/security.md; README "Security settings") ---------------------
# HSTS: browsers remember to use HTTPS only (set once the site is served over TLS for good).
SECURE_HSTS_SECONDS = int(os.environ.get("CFMP_HSTS_SECONDS", 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CFMP_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("CFMP_HSTS_PRELOAD", False)
# Where to report a vulnerability (RFC 9116's Contact: mailto: or https: URIs, comma
# separated), served at /.well-known/security.txt; unset, the file is not served and
# `cfmp check --deploy` warns (cfmp.W191). The policy page is optional.
CFMP_SECURITY_CONTACTS = env_list("CFMP_SECURITY_CONTACT", [])
CFMP_SECURITY_POLICY_URL = os.environ.get("CFMP_SECURITY_POLICY_URL", "")
# Sign-in throttling (django-axes): after this many failures an account, and separately an
# address, is refused (right password or not) for CFMP_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "cfmp.accounts.backends.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CFMP_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = int(os.environ.get("CFMP_LOCKOUT_MINUTES", 30)) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cfmp.accounts.security.client_ip"
AXES_ENABLE_ADMIN = False  # the sign-in log (accounts.SignInEvent) is the secretariat's view
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successes are in accounts.SignInEvent; axes keeps failures
# Password reset links by email expire after this many minutes.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("CFMP_PASSWORD_RESET_MINUTES", 60)) * 60
# Second factor (TOTP, django-otp): required of the secretariat and call-centre agents when
# on; anyone may turn it on for their own account.
CFMP_REQUIRE_2FA = env_bool("CFMP_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("CFMP_OTP_ISSUER", "CFMP")
# Keys per purpose, each a comma-separated list: the first signs, all verify (rotation with an
# overlap window: put the new key first, drop the old one once every sender has moved).
CFMP_INBOUND_SMS_KEYS = env_list("CFMP_INBOUND_SMS_KEYS", [])
CFMP_DLR_KEYS = env_list("CFMP_DLR_KEYS", [])
CFMP_WEBHOOK_KEYS = env_list("CFMP_WEBHOOK_KEYS", [])
CFMP_KIOSK_KEYS = env_list("CFMP_KIOSK_KEYS", [])
# Content-Security-Policy (django-csp): scripts and styles from CFMP's own static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("CFMP_TIME_ZONE", "Asia/Karachi")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["cfmp.core.parsers.BoundedJSONParser"],  # issue 18: depth
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CFMP API",
    "DESCRIPTION": "Submit transactions (services delivered to citizens) to CFMP. "
    "Authenticate with `Authorization: Token <key>`; keys are issued per source system. "
    "Also: the kiosk device API (`Authorization: Kiosk <key>`) and the gateways' signed "
    "callbacks (inbound SMS, robocall results).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Issue 18: the gateways' callbacks (plain Django views) documented too.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cfmp.core.openapi.add_gateways",
    ],
}

# Background work: Celery. The default broker is an SQLite file (no server to run); production
# points CFMP_BROKER_URL at Redis (redis://host:6379/0) or RabbitMQ (amqp://user:pw@host//).
CELERY_BROKER_URL = (
    os.environ.get("CFMP_BROKER_URL") or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
)
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...so every task must be safe to run twice
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # state lives in CFMP's own tables, not a result backend
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CFMP_TASKS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic outreach work. Every task is safe to run concurrently with itself.
CELERY_BEAT_SCHEDULE = {
    "plan-surveys": {"task": "outreach.plan_surveys", "schedule": 30.0},
    "queue-due-attempts": {"task": "outreach.queue_due_attempts", "schedule": 5.0},
    "recover-attempts": {"task": "outreach.recover_attempts", "schedule": 60.0},
    "expire-attempts": {"task": "outreach.expire_attempts", "schedule": 3600.0},
    "classify-pending": {"task": "feedback.classify_pending", "schedule": 60.0},
    # Issue 18: quarantined items of the pipelines with no sweep of their own, when due.
    "replay-quarantined": {"task": "core.replay_quarantined", "schedule": 60.0},
    "queue-manual-calls": {"task": "feedback.queue_manual_calls", "schedule": 60.0},
    "file-unfiled-complaints": {"task": "cases.file_unfiled_complaints", "schedule": 60.0},
    "escalate-overdue-cases": {"task": "cases.escalate_overdue", "schedule": 600.0},
    "case-digests": {"task": "cases.send_digests", "schedule": crontab(hour=8, minute=0)},
    "refresh-rollups": {"task": "reports.refresh_rollups", "schedule": 60.0},
    "watch-kiosks": {"task": "kiosk.watch", "schedule": 300.0},
    "detect-alerts": {"task": "reports.detect_alerts", "schedule": crontab(hour=6, minute=0)},
    "daily-report-digests": {"task": "reports.send_digests", "schedule": crontab(hour=7, minute=0)},
    "weekly-report-digests": {
        "task": "reports.send_digests",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
        "kwargs": {"weekly": True},
    },
    # Issue 17: spent form tokens (one submission per rendered form) kept a month.
    "forget-form-tokens": {"task": "core.forget_old_form_tokens", "schedule": crontab(hour=3)},
}
if CFMP_DEMO:
    CELERY_BEAT_SCHEDULE["plan-surveys"]["schedule"] = 5.0
    CELERY_BEAT_SCHEDULE["queue-due-attempts"]["schedule"] = 2.0
    CELERY_BEAT_SCHEDULE["demo-transactions"] = {"task": "core.demo_transactions", "schedule": 6.0}
    CELERY_BEAT_SCHEDULE["escalate-overdue-cases"]["schedule"] = 15.0
    CELERY_BEAT_SCHEDULE["refresh-rollups"]["schedule"] = 10.0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "no_traceback_below_500": {"()": "cfmp.core.logs.NoTracebackBelow500"},
        "secrets": {"()": "cfmp.core.keys.RedactSecrets"},  # issue 19: keys never logged
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_traceback_below_500", "secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CFMP_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every record a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
