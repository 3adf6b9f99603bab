"""Django settings, derived from Byline's settings table (byline.config). Edit the table,
not this file: every value here comes from ``byline.config.load()``."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from byline import config as byline_config
from byline.errors import MissingExtra

BYLINE = byline_config.load()
DATA_DIR: Path = BYLINE.data_path
DATA_DIR.mkdir(parents=True, exist_ok=True)


def kept_secret(path: Path) -> str:
    """The secret kept in ``path``, made on first use. Processes started together on a fresh
    data folder (a server and its workers, two test suites) may all find it missing: each
    writes its own in a private file (mode 0600 from the start) and links it into place, which
    only one link can do, so every process reads the one that won and none reads a file
    half-written. On a file system without hard links the file is renamed into place
    instead, unless another process's is there by then."""
    if not path.exists():
        fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            try:
                os.link(scratch, path)
            except FileExistsError:
                pass
            except OSError:  # no hard links here
                if not path.exists():
                    os.replace(scratch, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(scratch)
    return path.read_text().strip()


def _secret_key() -> str:
    if BYLINE.secret_key:
        return str(BYLINE.secret_key)
    return kept_secret(DATA_DIR / "secret_key")


def _database() -> dict[str, Any]:
    url = BYLINE.database_url or f"sqlite:///{DATA_DIR / 'byline.sqlite3'}"
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if db["ENGINE"] == "django.db.backends.postgresql" and find_spec("psycopg") is None:
        raise MissingExtra("postgres", "psycopg")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    return db


SECRET_KEY = _secret_key()
DEBUG = bool(BYLINE.debug)
ALLOWED_HOSTS = [*BYLINE.allowed_hosts, "testserver"]
ROOT_URLCONF = "byline.web.urls"
WSGI_APPLICATION = "byline.web.wsgi.application"
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "byline.news",
    "byline.site",
]
MIDDLEWARE = [
    "byline.service.middleware.RequestMetrics",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "byline.site.context.site",
            ]
        },
    }
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_TZ = True
USE_I18N = False
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# ── headers (docs/security.md) ──
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Outlets see that a reader came from this site, never from which page of it.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: scripts and styles are files under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if BYLINE.https:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and strips a
    # client's own): docs/deploy.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # local probes
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(BYLINE.hsts_seconds)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# The page cache (site/reads.py): in each process's memory, at most this many pages.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {  # one object per line: time, level, logger, message and the event's fields
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "byline.logs.CurrentStderrHandler", "formatter": BYLINE.log_format}
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
