"""SteelWatch settings: one module, driven by environment variables.

Every variable is read through the helpers below, which fail loudly at start-up on a bad value.
"""

import ipaddress
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

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


def env_networks(name: str) -> list:
    """Comma-separated IP networks (CIDR, or single addresses)."""
    networks = []
    for item in env_list(name, ""):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"环境变量 {name} 应为逗号分隔的 IP 地址或网段（CIDR），{item!r} 无效"
            ) from None
    return networks


# Production is the default. STEELWATCH_DEV=true (make demo, the tests) allows the committed development
# keys, plain-HTTP cookies and, asked for with STEELWATCH_DEBUG=true, Django's debug mode.
DEV = env_bool("STEELWATCH_DEV", False)
DEBUG = env_bool("STEELWATCH_DEBUG", False)
if DEBUG and not DEV:
    raise ImproperlyConfigured(
        "环境变量 STEELWATCH_DEBUG=true 只允许在开发环境（STEELWATCH_DEV=true）使用：调试页面会泄露代码和配置"
    )
DATA_DIR = Path(env_str("STEELWATCH_DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
UPLOAD_DIR = DATA_DIR / "uploads"  # outside the web root; served only through access checks
READINGS_DIR = DATA_DIR / "readings"  # raw meter readings as Parquet

# The keys: a bad or missing one stops the start-up here, naming the variable (core/keys.py says why;
# the same rules run again as a system check in `steelwatch check --deploy`).
from steelwatch.core.keys import (  # noqa: E402
    DEV_ID_KEY,
    DEV_SECRET_KEY,
    DEV_TIP_KEY,
    id_keys_problem,
    secret_key_problem,
    tip_keys_problem,
)

SECRET_KEY = os.environ.get("STEELWATCH_SECRET_KEY") or (DEV_SECRET_KEY if DEV else "")
if problem := secret_key_problem(SECRET_KEY, dev=DEV):
    raise ImproperlyConfigured(problem)

# Whistleblower identity encryption: comma-separated Fernet keys, newest first (rotation: prepend a key,
# run `steelwatch rotate-tip-keys`, then drop the old one).
TIP_ENCRYPTION_KEYS = env_list("STEELWATCH_TIP_KEYS", DEV_TIP_KEY if DEV else "")
if problem := tip_keys_problem(TIP_ENCRYPTION_KEYS, dev=DEV):
    raise ImproperlyConfigured(problem)

# Reverse proxies whose X-Forwarded-For names the client (steelwatch/core/clients.py); nobody else's is read.
TRUSTED_PROXIES = env_networks("STEELWATCH_TRUSTED_PROXIES")

# A revisit or patrol can be recorded from this many days before its date on, not earlier.
REVISIT_WINDOW_DAYS = int(env_str("STEELWATCH_REVISIT_WINDOW_DAYS", "14"))
# A restart request shows the site's patrols and revisits of this many days; one of them that found production
# signs blocks the approval unless the office records an override.
RESTART_FINDINGS_DAYS = int(env_str("STEELWATCH_RESTART_FINDINGS_DAYS", "90"))
# A reward for one target above this many yuan is approved by the city office, not the district's.
TIP_REWARD_CITY_APPROVAL_ABOVE = int(env_str("STEELWATCH_REWARD_CITY_APPROVAL_ABOVE", "50000"))

# Resident ID numbers on the credit list (steelwatch/credit): Fernet keys of their own, newest first, rotated
# like the tip keys (`steelwatch rotate-id-keys`). The committed development key only with STEELWATCH_DEV=true.
CREDIT_ID_KEYS = env_list("STEELWATCH_ID_KEYS", DEV_ID_KEY if DEV else "")
if problem := id_keys_problem(CREDIT_ID_KEYS, dev=DEV):
    raise ImproperlyConfigured(problem)

ALLOWED_HOSTS = env_list("STEELWATCH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("STEELWATCH_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "steelwatch.core",  # before django_tasks_db: its `db_worker` command wraps the package's (reconnects, reaps)
    "django_tasks_db",
    "ninja",  # its static files: /api/v1/docs loads Swagger UI from here, not from a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "steelwatch.geo",
    "steelwatch.accounts",
    "steelwatch.registry",
    "steelwatch.cases",
    "steelwatch.power",
    "steelwatch.tips",
    "steelwatch.credit",
    "steelwatch.market",
    "steelwatch.oversight",
    "steelwatch.field",
]

MIDDLEWARE = [
    "steelwatch.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "steelwatch.core.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "steelwatch.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "steelwatch.core.middleware.SessionTimeoutMiddleware",
    "steelwatch.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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
                "steelwatch.geo.context_processors.region",
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
    # Writers wait for each other instead of failing with "database is locked": WAL (readers never block the
    # writer), a 30 s busy timeout, and BEGIN IMMEDIATE for every transaction (the write lock is taken when the
    # transaction starts, where SQLite can wait for it, not on its first write, where it cannot).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
    }
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
LOGIN_CLIENT_FAILURE_LIMIT = int(env_str("STEELWATCH_LOGIN_CLIENT_FAILURE_LIMIT", "20"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(env_str("STEELWATCH_LOGIN_ACCOUNT_FAILURE_LIMIT", "50"))

# The second factor (accounts/second_factor.py): "required" for the roles in
# roles.SECOND_FACTOR_CAPABILITIES; "off" skips it and is allowed only in development mode.
SECOND_FACTOR = env_str("STEELWATCH_SECOND_FACTOR", "required")
if SECOND_FACTOR not in ("required", "off") or (SECOND_FACTOR == "off" and not DEV):
    raise ImproperlyConfigured(
        f"环境变量 STEELWATCH_SECOND_FACTOR 应为 required（或仅在 STEELWATCH_DEV=true 时为 off），实际为 {SECOND_FACTOR!r}"
    )
OTP_TOTP_ISSUER = "SteelWatch"

# The test suite (steelwatch/testenv.py sets STEELWATCH_TESTING) hashes passwords with a fast hasher: the default
# PBKDF2 costs ~0.9 s per test user on a busy machine. Never set this variable on a server.
TESTING = env_bool("STEELWATCH_TESTING", False)
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

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
STATIC_ROOT = Path(env_str("STEELWATCH_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic fills it (`steelwatch serve`)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
UPLOAD_MAX_BYTES = int(env_str("STEELWATCH_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Uploaded files of a finished job (workbooks, readings files) are removed this many days after it finished.
UPLOAD_RETENTION_DAYS = int(env_str("STEELWATCH_UPLOAD_RETENTION_DAYS", "30"))
# Workbooks are refused before anything is kept when a sheet has more rows (or the file unpacks to more bytes).
WORKBOOK_MAX_ROWS = int(env_str("STEELWATCH_WORKBOOK_MAX_ROWS", "200000"))
WORKBOOK_MAX_UNPACKED_BYTES = int(env_str("STEELWATCH_WORKBOOK_MAX_UNPACKED_MB", "512")) * 1024 * 1024

# Content-Security-Policy on every response (docs/hostile-input.md): scripts and styles only from our own static
# files (no inline <script>, no on…= handlers, no style attributes), nothing embeds our pages.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# HTTPS behind a reverse proxy that terminates TLS (docs/running.md). X-Forwarded-Proto and -For are read only
# from STEELWATCH_TRUSTED_PROXIES: core.middleware.TrustedProxyMiddleware drops them from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_SSL_REDIRECT = env_bool("STEELWATCH_SSL_REDIRECT", not DEV)
SECURE_HSTS_SECONDS = int(env_str("STEELWATCH_HSTS_SECONDS", "0" if DEV else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("STEELWATCH_HSTS_INCLUDE_SUBDOMAINS", not DEV)
SECURE_HSTS_PRELOAD = env_bool("STEELWATCH_HSTS_PRELOAD", not DEV)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("STEELWATCH_SECURE_COOKIES", not DEV)
if not SESSION_COOKIE_SECURE and not DEV:
    raise ImproperlyConfigured(
        "环境变量 STEELWATCH_SECURE_COOKIES=false 只允许在开发环境（STEELWATCH_DEV=true）使用"
    )
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after STEELWATCH_SESSION_IDLE_MINUTES without a request (sliding) and, whatever happens,
# STEELWATCH_SESSION_MAX_HOURS after the login (core.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = int(env_str("STEELWATCH_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = int(env_str("STEELWATCH_SESSION_MAX_HOURS", "12")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Static files: WhiteNoise serves them from STATIC_ROOT (`steelwatch serve` runs collectstatic first) with
# hashed names and long caching; in development it reads the source folders directly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEV
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEV
WHITENOISE_AUTOREFRESH = DEBUG

# Background work: Django's tasks framework with a database queue (`steelwatch db_worker`).
# Tests and single-process demos may set STEELWATCH_TASKS=immediate.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env_str("STEELWATCH_TASKS", "database")]}}
# A running job's lease: without a heartbeat for this long its worker is taken as dead (core/jobs.py).
JOB_LEASE_SECONDS = int(env_str("STEELWATCH_JOB_LEASE_SECONDS", "120"))
JOB_REAP_SECONDS = int(env_str("STEELWATCH_JOB_REAP_SECONDS", "60"))  # how often the worker looks for them


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_refusals": {"()": "steelwatch.core.logging.QuietRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("STEELWATCH_LOG_LEVEL", "WARNING")},
    # Django's own console handler would print each record a second time (it also reaches the root).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# The place the deployment serves: a GB/T 2260 code (province, municipality, prefecture city, county or
# district); unset, the whole tree. steelwatch/geo/region.py is the one module that reads it.
STEELWATCH_REGION = env_str("STEELWATCH_REGION", "").strip()
if STEELWATCH_REGION:
    from steelwatch.geo.divisions import bundled_name

    if not (len(STEELWATCH_REGION) == 6 and STEELWATCH_REGION.isdigit() and bundled_name(STEELWATCH_REGION)):
        raise ImproperlyConfigured(
            f"环境变量 STEELWATCH_REGION 应为行政区划表中的 6 位 GB/T 2260 代码（省、市、区县），"
            f"实际为 {STEELWATCH_REGION!r}：不在区划表中 (STEELWATCH_REGION: unknown division code)"
        )

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

# The credit list: whether a county/city listing needs the level above's approval (SAMR Order 44 Art 13; the
# Oct 2025 revision draft would drop it), and the party's statement-and-defence window in working days.
CREDIT_HIGHER_APPROVAL = env_bool("STEELWATCH_CREDIT_HIGHER_APPROVAL", True)
_defence = env_str("STEELWATCH_CREDIT_DEFENCE_DAYS", "5")
if not _defence.isdigit() or not 1 <= int(_defence) <= 60:
    raise ImproperlyConfigured(
        f"环境变量 STEELWATCH_CREDIT_DEFENCE_DAYS 应为 1–60 的工作日数，实际为 {_defence!r}"
    )
CREDIT_DEFENCE_WORKING_DAYS = int(_defence)

# Rolling mills: a month's tonnes rolled may exceed the billets bought that month by this share of them before
# the month is flagged (billets of unknown source, issue #12). A decimal between 0 and 1.
_gap = env_str("STEELWATCH_BILLET_GAP_SHARE", "0.10")
try:
    MARKET_BILLET_GAP_SHARE = Decimal(_gap)
except ArithmeticError:
    MARKET_BILLET_GAP_SHARE = Decimal(-1)
if not Decimal(0) <= MARKET_BILLET_GAP_SHARE <= Decimal(1):
    raise ImproperlyConfigured(f"环境变量 STEELWATCH_BILLET_GAP_SHARE 应为 0–1 之间的小数，实际为 {_gap!r}")


# Field work (steelwatch/field): a check-in farther than this from the site's ledger position is flagged;
# a draw's record and results are published within this many working days of the run (国发〔2019〕5号).
def _whole_number(name: str, default: str, low: int, high: int) -> int:
    raw = env_str(name, default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ImproperlyConfigured(f"环境变量 {name} 应为 {low}–{high} 的整数，实际为 {raw!r}")
    return int(raw)


FIELD_CHECKIN_MAX_DISTANCE_M = _whole_number("STEELWATCH_CHECKIN_MAX_DISTANCE_M", "300", 10, 100_000)
FIELD_DRAW_PUBLISH_WORKING_DAYS = _whole_number("STEELWATCH_DRAW_PUBLISH_WORKING_DAYS", "20", 1, 120)
FIELD_CAMERA_STALE_HOURS = _whole_number("STEELWATCH_CAMERA_STALE_HOURS", "24", 1, 24 * 90)
