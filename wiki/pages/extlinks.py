"""External links as MediaWiki indexes them (LinkFilter): the host reversed, so that a domain and
its subdomains share a prefix: "http://www.Example.com/a" → "http://com.example.www./a"."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, and_, delete, insert, literal, tuple_

from wiki.extensions import db
from wiki.models import ExternalLink, Page

MAX_KEY = 255
MAX_LINKS_PER_PAGE = 5000  # rows kept per page (a page may list more; the rest are not indexed)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*:)(//)?", re.I)


def _reverse_host(host: str) -> str:
    host = host.lower().strip(".")
    if host.startswith("[") or re.fullmatch(r"[0-9.]+", host):
        return host + "."  # IP addresses are not reversed
    return ".".join(reversed(host.split("."))) + "."


def index_keys(url: str) -> list[str]:
    """The index keys of a URL (two for a protocol-relative one), or none for one it cannot read."""
    if url.startswith("//"):
        return [k for scheme in ("http:", "https:") for k in index_keys(scheme + url)]
    match = _SCHEME.match(url)
    if match is None:
        return []
    scheme, slashes = match.group(1).lower(), match.group(2) or ""
    rest = url[match.end() :]
    if scheme == "mailto:":
        local, at, host = rest.partition("@")
        key = f"mailto:{_reverse_host(host)[:-1]}@{local}" if at else f"mailto:{rest}"
        return [key[:MAX_KEY]]
    cut = min([i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0] or [len(rest)])
    authority, path = rest[:cut], rest[cut:]
    userinfo, at, hostport = authority.rpartition("@")
    host, colon, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
    key = f"{scheme}{slashes}{userinfo + at}{_reverse_host(host)}{colon}{port}{path or '/'}"
    return [key[:MAX_KEY]]


def query_prefix(protocol: str, query: str) -> str | None:
    """The index-key prefix `euquery` / `elquery` names ("*.example.com/path"), None if unreadable.

    A leading "*." matches the domain and its subdomains; without it, only that host."""
    protocol = protocol or "http://"
    if not protocol.endswith(":") and not protocol.endswith("//"):
        protocol += "://" if protocol not in ("mailto", "news", "urn") else ":"
    wildcard = query.startswith("*.")
    body = query[2:] if wildcard else query
    keys = index_keys(protocol + body)
    if not keys:
        return None
    key = keys[0]
    if key.startswith("mailto:"):
        return key
    if not any(sep in body for sep in "/?#"):
        key = key[:-1] if key.endswith("/") else key  # the host alone: any path
        return key if wildcard else key + "/"
    return key


# --- reads: prop=extlinks and list=exturlusage ------------------------------------------------

PROTOCOLS = (
    "bitcoin", "ftp", "ftps", "geo", "git", "gopher", "http", "https", "irc", "ircs", "magnet", "mailto",
    "matrix", "mms", "news", "nntp", "redis", "sftp", "sip", "sips", "sms", "ssh", "svn", "tel", "telnet",
    "urn", "worldwind", "xmpp",
)  # fmt: skip
_NO_SLASHES = frozenset(
    {"bitcoin", "geo", "magnet", "mailto", "matrix", "news", "sip", "sips", "sms", "tel", "urn", "xmpp"}
)


def protocol_prefix(protocol: str) -> str:
    """The start of the index keys of a protocol ("https" → "https://", "mailto" → "mailto:")."""
    return protocol + (":" if protocol in _NO_SLASHES else "://")


def _filtered(select: Select[Any], protocol: str, query: str) -> Select[Any] | None:
    if query:
        prefix = query_prefix(protocol_prefix(protocol or "http"), query)
        if prefix is None:
            return None
        return select.where(ExternalLink.index_key.startswith(prefix, autoescape=True))
    if protocol:
        return select.where(ExternalLink.index_key.startswith(protocol_prefix(protocol), autoescape=True))
    # every protocol: a protocol-relative link once (its http row)
    return select.where(~and_(ExternalLink.url.startswith("//"), ExternalLink.index_key.startswith("https:")))


def of_pages(
    page_ids: list[int], *, protocol: str, query: str, start: tuple[int, str, int] | None, limit: int
) -> tuple[list[ExternalLink], tuple[int, str, int] | None]:
    """The external links of these pages by (page, index key, id), and the key of the next row."""
    select = _filtered(db.select(ExternalLink).where(ExternalLink.from_id.in_(page_ids)), protocol, query)
    if select is None:
        return [], None
    key = tuple_(ExternalLink.from_id, ExternalLink.index_key, ExternalLink.id)
    if start is not None:
        select = select.where(key >= tuple_(*[literal(v) for v in start]))
    order = (ExternalLink.from_id, ExternalLink.index_key, ExternalLink.id)
    rows = list(db.session.scalars(select.order_by(*order).limit(limit + 1)))
    after = rows[limit] if len(rows) > limit else None
    return rows[:limit], (after.from_id, after.index_key, after.id) if after is not None else None


def usage(
    *, protocol: str, query: str, namespaces: tuple[int, ...], start: tuple[str, int] | None, limit: int
) -> tuple[list[tuple[ExternalLink, Page]], tuple[str, int] | None]:
    """The pages linking to URLs matching (protocol, query), by (index key, id), and the next key."""
    select = _filtered(
        db.select(ExternalLink, Page).join(Page, Page.id == ExternalLink.from_id), protocol, query
    )
    if select is None:
        return [], None
    if namespaces:
        select = select.where(Page.namespace.in_(namespaces))
    if start is not None:
        select = select.where(
            tuple_(ExternalLink.index_key, ExternalLink.id) >= tuple_(*[literal(v) for v in start])
        )
    rows = [
        (link, page)
        for link, page in db.session.execute(
            select.order_by(ExternalLink.index_key, ExternalLink.id).limit(limit + 1)
        )
    ]
    after = rows[limit][0] if len(rows) > limit else None
    return rows[:limit], (after.index_key, after.id) if after is not None else None


def refresh(*, after_id: int = 0, batch: int = 100) -> tuple[int, int | None]:
    """Rebuild the external links of up to `batch` pages with ids above `after_id` (pages saved
    before the table existed); answers (pages done, the last id, None at the end)."""
    from wiki.pages import derive, reads

    rows = list(
        db.session.scalars(
            db.select(Page).where(Page.id > after_id, Page.latest.is_not(None)).order_by(Page.id).limit(batch)
        )
    )
    for page in rows:
        rev = reads.latest(page)
        if rev is None:
            continue
        rendered = derive.render_text(reads.title_of(page), rev.text, revision_id=rev.id)
        db.session.execute(delete(ExternalLink).where(ExternalLink.from_id == page.id))
        links = [
            {"from_id": page.id, "url": url, "index_key": key}
            for url in rendered.external_links[:MAX_LINKS_PER_PAGE]
            for key in index_keys(url)
        ]
        if links:
            db.session.execute(insert(ExternalLink.__table__), links)
    db.session.commit()
    return len(rows), (rows[-1].id if len(rows) == batch else None)
