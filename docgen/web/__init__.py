"""The browser application (`docgen serve`): a Django project configured in code.

The settings are built from the workspace (docgen.toml), not from a settings module, so
one `docgen serve` serves one office. Its own tables (accounts, drafts, the audit log)
live in the workspace's database; every rule of making, numbering, signing and filing
stays in the library, which the views call.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..datafile import load_toml
from ..errors import ConfigError
from ..workspace import Workspace

HERE = Path(__file__).parent
SECRET_NAME = ".docgen-web-rahasia"  # SECRET_KEY of the sessions and CSRF tokens
WEB_DB_NAME = "web.sqlite"
DATABASE_ENV = "DOCGEN_DATABASE_URL"

_configured: dict[str, Any] = {}


def database_url(ws: Workspace) -> str:
    """The shared database, when the office has one: $DOCGEN_DATABASE_URL, else
    [database] url of docgen.toml; "" for the SQLite default."""
    env = os.environ.get(DATABASE_ENV, "").strip()
    if env:
        return env
    raw = load_toml(ws.config_file).get("database") or {}
    return str(raw.get("url", "")).strip() if isinstance(raw, dict) else ""


def django_database(ws: Workspace) -> dict[str, Any]:
    """DATABASES['default'] for the workspace: its SQLite file, or the PostgreSQL url."""
    url = database_url(ws)
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(ws.root / WEB_DB_NAME),
                "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"}}
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"database url {parts.scheme}://... is not PostgreSQL", file=ws.config_file,
                          field="database.url", fix="write postgresql://USER:PASSWORD@HOST:5432/NAME")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }


def secret_key(ws: Workspace) -> str:
    """Made once per workspace and kept beside docgen.toml, readable by its owner only."""
    path = ws.root / SECRET_NAME
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def allowed_hosts(ws: Workspace, host: str) -> list[str]:
    if ws.config.web.hosts:
        return list(ws.config.web.hosts)
    hosts = ["localhost", "127.0.0.1", "[::1]", "testserver"]
    if ws.config.web.url:
        hosts.append(urlsplit(ws.config.web.url).hostname or "")
    if host in ("0.0.0.0", "::", ""):
        # the whole LAN may come in: by name or by any of this machine's addresses
        name = socket.gethostname()
        hosts += [name, socket.getfqdn()]
        with contextlib.suppress(OSError):
            hosts += socket.gethostbyname_ex(name)[2]
    else:
        hosts.append(host)
    return sorted(set(filter(None, hosts)))


def public_url(ws: Workspace, host: str = "127.0.0.1", port: int = 8000) -> str:
    """The address QR codes point to: [web] url, else the address `docgen serve` listens on."""
    if ws.config.web.url:
        return ws.config.web.url.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn() or socket.gethostname()
    return f"http://{host}:{port}"


def settings_for(ws: Workspace, *, host: str = "127.0.0.1", port: int = 8000,
                 debug: bool = False) -> dict[str, Any]:
    web = ws.config.web
    zona = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}.get(
        ws.config.tte.zona_waktu, "Asia/Jakarta")
    upload_max = int(web.unggah_maks_mb * 1024 * 1024)
    s: dict[str, Any] = {
        "DEBUG": debug,
        "SECRET_KEY": secret_key(ws),
        "ALLOWED_HOSTS": allowed_hosts(ws, host),
        "INSTALLED_APPS": [
            "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
            "django.contrib.messages", "docgen.web.apps.WebConfig",
        ],
        "MIDDLEWARE": [
            "docgen.web.middleware.Kuki",
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "docgen.web.middleware.Keamanan",
        ],
        "ROOT_URLCONF": "docgen.web.urls",
        "TEMPLATES": [{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [], "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "docgen.web.views.common.umum",
            ]},
        }],
        "DATABASES": {"default": django_database(ws)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "LANGUAGE_CODE": "id", "USE_I18N": True, "USE_TZ": True, "TIME_ZONE": zona,
        "LOGIN_URL": "/masuk/", "LOGIN_REDIRECT_URL": "/", "LOGOUT_REDIRECT_URL": "/masuk/",
        "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "docgen_sesi", "SESSION_COOKIE_AGE": 10 * 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Lax", "CSRF_COOKIE_NAME": "docgen_csrf",
        "CSRF_FAILURE_VIEW": "docgen.web.views.common.csrf_gagal",
        "SESSION_COOKIE_SECURE": web.https, "CSRF_COOKIE_SECURE": web.https,
        "SECURE_CONTENT_TYPE_NOSNIFF": True, "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "SAMEORIGIN",  # the inline PDF preview is a frame of our own
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 2 * 1024 * 1024,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": min(upload_max, 5 * 1024 * 1024),
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": 5000,
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
             "OPTIONS": {"min_length": 8}},
        ],
        "LOGGING": {"version": 1, "disable_existing_loggers": False,
                    "handlers": {"console": {"class": "logging.StreamHandler"}},
                    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"},
                                "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}}},
        # ours
        "DOCGEN_WORKSPACE": str(ws.root),
        "DOCGEN_PUBLIC_URL": public_url(ws, host, port),
        "DOCGEN_UPLOAD_MAX": upload_max,
    }
    if web.https:
        s["SECURE_PROXY_SSL_HEADER"] = ("HTTP_X_FORWARDED_PROTO", "https")
        s["SECURE_HSTS_SECONDS"] = 0  # the proxy decides on HSTS
    return s


def setup(ws: Workspace, *, host: str = "127.0.0.1", port: int = 8000, debug: bool = False,
          migrate: bool = True) -> None:
    """Configure Django for this workspace (once per process) and bring its tables up to date."""
    import django
    from django.conf import settings

    if _configured:
        if _configured["root"] != str(ws.root):
            raise ConfigError("this process already serves another workspace",
                              file=_configured["root"], fix="start one `docgen serve` per workspace")
        return
    settings.configure(**settings_for(ws, host=host, port=port, debug=debug))
    django.setup()
    _configured["root"] = str(ws.root)
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def application(ws: Workspace, **kw: Any):
    """The WSGI application for the workspace."""
    setup(ws, **kw)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
