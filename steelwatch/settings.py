"""SteelWatch settings: one module, driven by environment variables.

Every variable is read through the helpers below, which fail loudly at start-up on a bad value.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"环境变量 {name} 未设置 (environment variable {name} is required)")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 true/false，实际为 {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("STEELWATCH_DEBUG", True)
DATA_DIR = Path(env_str("STEELWATCH_DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
UPLOAD_DIR = DATA_DIR / "uploads"  # outside the web root; served only through access checks
READINGS_DIR = DATA_DIR / "readings"  # raw meter readings as Parquet

_DEV_SECRET = "steelwatch-development-only-secret-key-change-me-in-production"
SECRET_KEY = env_str("STEELWATCH_SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("生产环境必须设置 STEELWATCH_SECRET_KEY")

# Whistleblower identity encryption: comma-separated Fernet keys, newest first (rotation: prepend a key,
# run `steelwatch rotate-tip-keys`, then drop the old one).
_DEV_TIP_KEY = "q0qvq7iLZ9Yf5QqJ0oY3m7b8yYfXr2f1kVt0J6wz0bE="
TIP_ENCRYPTION_KEYS = env_list("STEELWATCH_TIP_KEYS", _DEV_TIP_KEY if DEBUG else "")
if not TIP_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("生产环境必须设置 STEELWATCH_TIP_KEYS（举报人信息加密密钥）")
# A revisit or patrol can be recorded from this many days before its date on, not earlier.
REVISIT_WINDOW_DAYS = int(env_str("STEELWATCH_REVISIT_WINDOW_DAYS", "14"))
# A reward for one target above this many yuan is approved by the city office, not the district's.
TIP_REWARD_CITY_APPROVAL_ABOVE = int(env_str("STEELWATCH_REWARD_CITY_APPROVAL_ABOVE", "50000"))

ALLOWED_HOSTS = env_list("STEELWATCH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("STEELWATCH_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "steelwatch.core",
    "steelwatch.geo",
    "steelwatch.accounts",
    "steelwatch.registry",
    "steelwatch.cases",
    "steelwatch.power",
    "steelwatch.tips",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "steelwatch.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "steelwatch.core.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "steelwatch.urls"
WSGI_APPLICATION = "steelwatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "steelwatch" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "steelwatch.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'steelwatch.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = (
    {"NAME": env_str("STEELWATCH_TEST_DB_NAME", "")} if os.environ.get("STEELWATCH_TEST_DB_NAME") else {}
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["steelwatch.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_FAILURE_LIMIT = int(env_str("STEELWATCH_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(env_str("STEELWATCH_LOGIN_LOCKOUT_MINUTES", "15"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "steelwatch" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "steelwatch" / "static"]
STATIC_ROOT = DATA_DIR / "static"

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
UPLOAD_MAX_BYTES = int(env_str("STEELWATCH_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("STEELWATCH_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Background work: Django's tasks framework with a database queue (`steelwatch db_worker`).
# Tests and single-process demos may set STEELWATCH_TASKS=immediate.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env_str("STEELWATCH_TASKS", "database")]}}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_refusals": {"()": "steelwatch.core.logging.QuietRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("STEELWATCH_LOG_LEVEL", "WARNING")},
    # Django's own console handler would print each record a second time (it also reaches the root).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# Public holidays (ISO dates, comma-separated) skipped by working-day deadlines.
STEELWATCH_HOLIDAYS = env_list("STEELWATCH_HOLIDAYS", "")
STEELWATCH_SEND_EMAIL = env_bool("STEELWATCH_SEND_EMAIL", False)

# Power detection (steelwatch/power): each run scores the accounts an upload touches over this many days of
# archived readings, ending with the day of the upload's newest reading; the engine runs analytics.
_window = env_str("STEELWATCH_DETECTION_WINDOW_DAYS", "30")
if not _window.isdigit() or not 1 <= int(_window) <= 366:
    raise ImproperlyConfigured(
        f"环境变量 STEELWATCH_DETECTION_WINDOW_DAYS 应为 1–366 的天数，实际为 {_window!r}"
    )
POWER_DETECTION_WINDOW_DAYS = int(_window)
POWER_DETECTION_ENGINE = env_str("STEELWATCH_DETECTION_ENGINE", "local")
if POWER_DETECTION_ENGINE not in ("local", "spark"):
    raise ImproperlyConfigured(
        f"环境变量 STEELWATCH_DETECTION_ENGINE 应为 local 或 spark，实际为 {POWER_DETECTION_ENGINE!r}"
    )
POWER_SPARK_MASTER = env_str("STEELWATCH_SPARK_MASTER", "") or None  # e.g. spark://host:7077; unset: local[*]
