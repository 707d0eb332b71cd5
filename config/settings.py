"""Chunnuan settings: one base, driven by environment variables.

Everything an operator sets comes from the environment (see docs/development.md for the list).
With nothing set, the project runs for development: DEBUG on, SQLite under ``var/``, keys
generated under ``var/`` on first run. The demo (``scripts/run-demo.sh``) runs as production does,
DEBUG off, with ``CHUNNUAN_DEMO=1``: see ``DEMO`` below.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHUNNUAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The local demo: DEBUG off (Chinese error pages, static files from WhiteNoise) but served over
# plain http on this machine, so keys may still be generated under var/ and the https-only
# settings (secure cookies, HSTS, the https redirect) stay off. Never set it on a server.
DEMO = env_bool("CHUNNUAN_DEMO", False)


def _key_from_env_or_file(name: str, filename: str, make: str) -> str:
    """Read a secret from the environment; in DEBUG or the demo only, generate one under var/ on
    first run."""
    value = os.environ.get(name)
    if value:
        return value
    path = VAR_DIR / filename
    if path.exists():
        return path.read_text().strip()
    if not (DEBUG or DEMO):
        raise RuntimeError(f"{name} must be set when DEBUG is off")
    path.write_text(make)
    path.chmod(0o600)
    return make


SECRET_KEY = _key_from_env_or_file("SECRET_KEY", "secret.key", secrets.token_urlsafe(50))
# 32-byte key (urlsafe base64) for the encrypted personal-data fields (ID numbers, phones).
DATA_KEY = _key_from_env_or_file(
    "CHUNNUAN_DATA_KEY", "data.key", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "chunnuan.core",
    "chunnuan.access",
    "chunnuan.regions",
    "chunnuan.accounts",
    "chunnuan.audit",
    "chunnuan.notifications",
    "chunnuan.batch",
    "chunnuan.workers",
    "chunnuan.employers",
    "chunnuan.reporting",
    "chunnuan.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chunnuan.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chunnuan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chunnuan.access.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "chunnuan.access.context_processors.actor_menu",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chunnuan.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on the busy timeout instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "chunnuan.core.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_SAVE_EVERY_REQUEST = False  # absolute expiry; a write per page view would serialise SQLite

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.5  # hours
# Two rules (either locks): an account from one address, and an account from ANY address, so that
# changing address buys no extra guesses (axes takes the larger count; with one limit the
# account-wide rule binds). Checks and counts of one account are serialised by
# accounts.services.password_check_serialized. Unlock: the user's page in user management
# (解除登录锁定, audited) or `manage.py axes_reset_username <username>` (docs/security.md).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chunnuan.accounts.views.locked_out"

# One-time login codes for workers (手机验证码登录)
LOGIN_CODE_TTL_SECONDS = 300
LOGIN_CODE_MAX_ATTEMPTS = 5
LOGIN_CODE_PER_PHONE_INTERVAL_SECONDS = 60
LOGIN_CODE_PER_PHONE_PER_HOUR = 5
LOGIN_CODE_PER_ADDRESS_PER_HOUR = 20

# Wrong API tokens (Authorization: Bearer …): after this many from one address within the window,
# that address gets 429 for the rest of the window, whatever token it sends.
API_TOKEN_FAILURES_PER_ADDRESS = int(os.environ.get("API_TOKEN_FAILURES_PER_ADDRESS", 10))
API_TOKEN_FAILURE_WINDOW_SECONDS = 900

# --- I18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: refuse anything over this before it reaches a view (see RequestSizeLimitMiddleware).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", 50 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Tasks -----------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Uploaded spreadsheets, rejected-rows workbooks and run result files hold personal data: the
# daily `manage.py runs_purge` deletes them after this many days (docs/security.md).
CHUNNUAN_RUN_FILE_RETENTION_DAYS = int(os.environ.get("CHUNNUAN_RUN_FILE_RETENTION_DAYS", 30))

# --- Notifications ---------------------------------------------------------------------------
NOTIFICATION_CHANNELS = {
    "sms": os.environ.get("CHUNNUAN_SMS_CHANNEL", "chunnuan.notifications.channels.ConsoleChannel"),
    "wechat": os.environ.get("CHUNNUAN_WECHAT_CHANNEL", "chunnuan.notifications.channels.ConsoleChannel"),
}
NOTIFICATION_LOG_FILE = VAR_DIR / "outbox.log"
NOTIFICATION_MAX_ATTEMPTS = 5

# --- Security --------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not DEMO:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
