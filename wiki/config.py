"""Defaults and environment overrides. Every setting can be given as WIKI_<NAME>."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# What the package carries besides code (declared as package data in pyproject.toml, so a wheel has them).
PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
CONTENT_DIR = PACKAGE_DIR / "content"  # the seed pages

LOOPBACK = "127.0.0.1/32,::1/128"

DEFAULTS: dict[str, object] = {
    "SITE_NAME": "LLM Knowledge Wiki",
    "SERVER": "",  # from WIKI_HOST and WIKI_PORT (where `make run` listens) when not given
    "ARTICLE_PATH": "/wiki/$1",
    "SCRIPT_PATH": "/w",
    "PROJECT_NAMESPACE": "Project",
    "ANON_EDIT": True,
    "ACCOUNT_CREATION": True,
    "MAX_TEXT_BYTES": 2 * 1024 * 1024,
    "SECURE_COOKIES": False,
    "SEARCH_BACKEND": "whoosh",
    "CONTENT_DIR": str(CONTENT_DIR),
    "RENDER_TIME_LIMIT": 1.5,  # seconds a render may take (wiki.markup.limits); "none": no limit
    "FRONT_CACHE_BYTES": 32 * 1024 * 1024,  # memory per worker for whole anonymous responses
    "LOG_FORMAT": "text",  # "json": one JSON line per request (wiki.web.observability)
    "METRICS_ALLOW": "127.0.0.1/32,::1/128",  # who may read /metrics (addresses or networks)
    "TRUSTED_PROXIES": "",  # proxies in front: a count, or their addresses/networks (wiki.web.proxies)
    "SMTP_URL": "",  # smtp://host:port, smtps://user:pass@host: where e-mail goes (wiki.mail)
    "EMAIL_SENDER": "",  # From address; default wiki@<host of WIKI_SERVER>
    # Rate limits (wiki.access.ratelimit): JSON merged over MediaWiki-like defaults, "off" for none.
    "RATE_LIMITS": "",
    # Addresses/networks never rate-limited ($wgRateLimitsExcludedIPs) and never asked a CAPTCHA
    # ($wgCaptchaWhitelistIP): by default this machine itself, unless an untrusted proxy forwarded the
    # request (wiki.web.proxies), so MediaWiki's API test suite runs against `make run`.
    "RATE_LIMITS_EXCLUDED_IPS": LOOPBACK,
    # $wgAutoConfirmAge and $wgAutoConfirmCount (MediaWiki's defaults, 0 and 0): accounts younger or
    # with fewer edits are not in the `autoconfirmed` group (semi-protection) and are rate-limit "newbies".
    "AUTOCONFIRM_DAYS": 0,
    "AUTOCONFIRM_EDITS": 0,
    "CDN_MAXAGE": 0,  # seconds a reverse proxy may keep an anonymous view (s-maxage; wiki.web.httpcache)
    "CDN_SERVERS": "",  # host:port of each caching proxy to send PURGE to after a change (wiki.cdn)
    # $wgRCMaxAge in days (MediaWiki's 90): older recent-changes rows are purged, a few per save
    # (wiki.recent.purge) and all by `flask purge-recentchanges`; 0 keeps them forever.
    "RC_MAX_AGE_DAYS": 90,
    "EMAIL_USER": False,  # Special:EmailUser: users with confirmed addresses may mail each other
    # Uploads (wiki.files): where originals live ("local": WIKI_UPLOAD_DIR; "database": chunks in the
    # database, for several app hosts), the size limit, the accepted extensions, the pixel limit.
    "FILE_STORE": "local",
    "UPLOAD_DIR": "",  # default: images/ in the instance folder
    "MAX_UPLOAD_BYTES": 100 * 1024 * 1024,
    "FILE_EXTENSIONS": "png gif jpg jpeg webp svg pdf",
    "MAX_IMAGE_PIXELS": 50_000_000,  # larger images are refused as decompression bombs
    "SPAM_DEFENCE": True,  # CAPTCHA, link blacklist, title blacklist (wiki.spam); false turns all off
    "CAPTCHA_SKIP_IPS": LOOPBACK,  # never asked a CAPTCHA (ConfirmEdit's $wgCaptchaWhitelistIP), see above
    "LICENSE": "Content is available under the Creative Commons Attribution-ShareAlike License.",
}

_BOOL = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def _coerce(default: object, raw: str) -> object:
    if isinstance(default, bool):
        return _BOOL.get(raw.strip().lower(), default)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return None if raw.strip().lower() in ("", "none", "off") else float(raw)
    return raw


def default_instance_dir() -> Path:
    """Where the database, secret key and search index live unless WIKI_INSTANCE_DIR says: instance/
    of a source checkout (the package beside pyproject.toml), else instance/ of the current folder
    (an installed wheel must not write into site-packages)."""
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "instance"
    return Path.cwd() / "instance"


def _secret_key(instance: Path) -> str:
    """One key for every worker: kept in the instance folder, created once without a race."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def default_server(environ: Mapping[str, str]) -> str:
    """The wiki's absolute URL when WIKI_SERVER is not set: where `make run` listens (WIKI_HOST,
    WIKI_PORT), so full URLs (OpenSearch, siteinfo, exports) name the port actually served."""
    host = environ.get("WIKI_HOST", "").strip() or "127.0.0.1"
    port = environ.get("WIKI_PORT", "").strip() or "8000"
    if host in ("0.0.0.0", "::", "[::]"):  # every interface: this machine's own address reaches it
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def load(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app's configuration: defaults, then WIKI_* environment variables, then overrides."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    cfg: dict[str, Any] = {f"WIKI_{k}": v for k, v in DEFAULTS.items()}
    for key, default in list(cfg.items()):
        if key in os.environ:
            cfg[key] = _coerce(default, os.environ[key])
    cfg["WIKI_SERVER"] = cfg["WIKI_SERVER"] or default_server(os.environ)
    cfg["SQLALCHEMY_DATABASE_URI"] = os.environ.get("WIKI_DATABASE_URL", f"sqlite:///{instance / 'wiki.db'}")
    cfg["WIKI_INDEX_DIR"] = os.environ.get("WIKI_INDEX_DIR", str(instance / "search"))
    cfg["WIKI_UPLOAD_DIR"] = cfg["WIKI_UPLOAD_DIR"] or str(instance / "images")
    cfg.update(overrides or {})
    cfg["SQLALCHEMY_DATABASE_URI"] = _driver(cfg["SQLALCHEMY_DATABASE_URI"])
    cfg.setdefault("SECRET_KEY", os.environ.get("WIKI_SECRET_KEY") or _secret_key(instance))
    cfg.setdefault("SESSION_COOKIE_HTTPONLY", True)
    cfg.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    cfg.setdefault("SESSION_COOKIE_SECURE", bool(cfg["WIKI_SECURE_COOKIES"]))
    cfg.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    cfg.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    # Refuse bodies over the text limit (plus room for the other form fields) before reading them.
    cfg.setdefault("MAX_CONTENT_LENGTH", cfg["WIKI_MAX_TEXT_BYTES"] * 4 + 64 * 1024)
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        # No parallel plans: a request's query spread over worker processes answered no sooner here
        # and cost twice the CPU (the watchlist's 628 probes gathered from two backends); the
        # server's cores serve concurrent requests instead.
        options = {"options": "-c max_parallel_workers_per_gather=0"}
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "connect_args": options})
    return cfg


def _driver(url: str) -> str:
    """PostgreSQL URLs use psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
