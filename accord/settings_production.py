"""Deployment settings: everything in `accord.settings` plus transport and cookie hardening.

Behind a TLS-terminating proxy set ACCORD_PROXY_COUNT and ACCORD_ALLOWED_HOSTS; see docs/deploy.md.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from accord.settings import *  # noqa: F403
from accord.settings import STORAGES, env_bool

DEBUG = False
if "ACCORD_SECRET_KEY" not in os.environ:
    raise ImproperlyConfigured("ACCORD_SECRET_KEY must be set in production.")
SECRET_KEY = os.environ["ACCORD_SECRET_KEY"]

SECURE_SSL_REDIRECT = env_bool("ACCORD_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-accord-session"
CSRF_COOKIE_NAME = "__Host-accord-csrf"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
