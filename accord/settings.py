"""Settings for every environment, driven by environment variables.

`accord.settings_production` layers the deployment hardening on top; nothing here may assume a
single process (several web processes and `db_worker`s share one database).
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from accord.core import limits

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ACCORD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ACCORD_DEBUG", False)
# A development key is only ever used when no key is configured; production settings refuse it.
SECRET_KEY = os.environ.get(
    "ACCORD_SECRET_KEY", "insecure-development-key-change-me-0123456789abcdefghijklmnop"
)
ALLOWED_HOSTS = env_list("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ACCORD_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "csp",
    "axes",
    # Before allauth, so its templates here override allauth's own.
    "accord.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.microsoft",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "accord.core",
    "accord.audit",
    "accord.directory",
    "accord.access",
    "accord.profiles",
    "accord.registers",
    "accord.concerns",
    "accord.library",
    "accord.procedures",
    "accord.notifications",
    "accord.api",
    "accord.web",
    "accord.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Reads a page repeats are worked out once per request (accord.core.request_memo).
    "accord.core.request_memo.RequestMemoMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every response after this point says `Cache-Control: no-store, private`; static files,
    # answered by WhiteNoise above, keep their own caching (accord.access.middleware).
    "accord.access.middleware.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A body larger than its route takes is refused (413) before the CSRF check reads it.
    "accord.web.middleware.InputLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accord.accounts.middleware.SessionTimeoutMiddleware",
    # Deny by default: every view is sign-in only unless it declares otherwise (accord.access).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accord.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accord.web.middleware.NotFoundMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so it sees the final outcome of authentication for lock-out accounting.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "accord" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accord.web.context_processors.council",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_sqlite = f"sqlite:///{VAR_DIR / 'accord.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=0, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
else:
    _test_name = os.environ.get("ACCORD_TEST_DATABASE_NAME")
    if _test_name:
        DATABASES["default"]["TEST"] = {"NAME": _test_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web process and worker (sign-in rate limits live here), kept in the
# database so no extra service is needed; created by the core app's first migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accord_cache",
    }
}

# --- Tasks ----------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ACCORD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
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

ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# Django's own mail (password resets, and notifications when ACCORD_NOTIFY_GATEWAY is smtp) goes
# to the console unless a deployment configures SMTP; see docs/deploy.md.
EMAIL_BACKEND = os.environ.get(
    "ACCORD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("ACCORD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ACCORD_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ACCORD_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ACCORD_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ACCORD_EMAIL_USE_TLS", False)
# Bounded, so a hung relay fails the attempt well before its claim is taken to be abandoned.
EMAIL_TIMEOUT = int(os.environ.get("ACCORD_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("ACCORD_FROM_EMAIL", "accord@localhost")
ACCOUNT_ADAPTER = "accord.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# axes counts failed sign-ins per account and address (in the database, shared by every process);
# allauth keeps only its per-address ceiling against password spraying.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("ACCORD_COUNCIL_NAME", "Accord")
SOCIALACCOUNT_ADAPTER = "accord.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False


def _social_providers() -> dict[str, Any]:
    """Single sign-on is configured from the environment; see docs/sign-in.md."""
    providers: dict[str, Any] = {}
    if os.environ.get("ACCORD_ENTRA_CLIENT_ID"):
        tenant = os.environ.get("ACCORD_ENTRA_TENANT", "").strip()
        if tenant.lower() in {"", "common", "organizations", "consumers"}:
            # Another tenant's administrator can give a user any `mail`: trust only the council's.
            raise ImproperlyConfigured("ACCORD_ENTRA_TENANT must be the council's own tenant ID")
        providers["microsoft"] = {
            "APPS": [
                {
                    "client_id": os.environ["ACCORD_ENTRA_CLIENT_ID"],
                    "secret": os.environ.get("ACCORD_ENTRA_CLIENT_SECRET", ""),
                    "settings": {"tenant": tenant, "verified_email": True},
                }
            ],
        }
    if os.environ.get("ACCORD_OIDC_CLIENT_ID"):
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": os.environ.get("ACCORD_OIDC_PROVIDER_ID", "council-sso"),
                    "name": os.environ.get("ACCORD_OIDC_NAME", "Council single sign-on"),
                    "client_id": os.environ["ACCORD_OIDC_CLIENT_ID"],
                    "secret": os.environ.get("ACCORD_OIDC_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": os.environ.get("ACCORD_OIDC_SERVER_URL", ""),
                        # Without a domain list, only addresses the provider marks verified count.
                        "verified_email": env_list("ACCORD_OIDC_TRUSTED_EMAIL_DOMAINS") or False,
                    },
                }
            ]
        }
    return providers


SOCIALACCOUNT_PROVIDERS = _social_providers()

# Lock-out on the username and address together, so one attacker cannot lock a whole office out.
AXES_ENABLED = env_bool("ACCORD_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("ACCORD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ACCORD_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accord.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("ACCORD_PROXY_COUNT", "0"))

# --- Sessions -------------------------------------------------------------------------------
SESSION_ENGINE = "accord.accounts.session_store"
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("ACCORD_SESSION_IDLE_MINUTES", "30")))
SESSION_ABSOLUTE_TIMEOUT = timedelta(
    hours=int(os.environ.get("ACCORD_SESSION_ABSOLUTE_HOURS", "10"))
)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Content security policy: nonces only, no inline script or style ---------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Request bodies -------------------------------------------------------------------------
# Every route takes at most `limits.MAX_BODY_BYTES` (2.5 MB) unless it says otherwise, and a larger
# body is refused with a 413 before anything reads it (accord.web.middleware). The protocol
# import takes more: the API's carries a 10 MB file base64-encoded in JSON, about 13.4 MB. So
# Django's own ceiling, which applies wherever a body is read, is raised to the largest any
# route takes rather than left at 2.5 MB, which refused imports above about 1.9 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.MAX_REQUEST_BYTES

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from here once `collectstatic` has run; it warns if the folder is missing.
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "accord" / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- The council ----------------------------------------------------------------------------
ACCORD_COUNCIL_NAME = os.environ.get("ACCORD_COUNCIL_NAME", "")
ACCORD_API_TOKEN_PREFIX = "acc"  # noqa: S105 - a label, not a secret

# --- Notifications (docs/notifications.md) --------------------------------------------------
# Where links in emails point: the site's public address, without a trailing slash.
ACCORD_BASE_URL = os.environ.get("ACCORD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# console (log them), smtp (EMAIL_BACKEND above), notify (GOV.UK Notify); tests use fake.
ACCORD_NOTIFY_GATEWAY = os.environ.get("ACCORD_NOTIFY_GATEWAY", "console").strip().lower()
ACCORD_NOTIFY_API_KEY = os.environ.get("ACCORD_NOTIFY_API_KEY", "")


def _notify_templates() -> dict[str, str]:
    """Our template keys to GOV.UK Notify template ids: {"case_reminder": "<uuid>", ...}."""
    try:
        mapping = json.loads(os.environ.get("ACCORD_NOTIFY_TEMPLATES", "") or "{}")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"ACCORD_NOTIFY_TEMPLATES is not JSON: {error}") from error
    if not isinstance(mapping, dict):
        raise ImproperlyConfigured("ACCORD_NOTIFY_TEMPLATES must be a JSON object.")
    return {str(key): str(value) for key, value in mapping.items()}


ACCORD_NOTIFY_TEMPLATES = _notify_templates()

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ACCORD_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
