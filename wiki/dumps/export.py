"""MediaWiki XML export (schema 0.11), written as a stream: one page and one revision at a time.

The output is what MediaWiki's dumpBackup.php and Special:Export write, so MediaWiki's
importDump.php (and our import-dump) read it back: siteinfo, then per page its title, namespace,
id, redirect and revisions with id, parentid, timestamp, contributor, minor, comment, model,
format, text (bytes and base-36 sha1) and sha1.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from flask import current_app
from sqlalchemy import Row

from wiki import pages, site, titles
from wiki.dumps import files
from wiki.extensions import db
from wiki.models import Page, Redirect, Revision
from wiki.pages.revdelete import COMMENT, TEXT, USER

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SCHEMA = "0.11"
NS = f"http://www.mediawiki.org/xml/export-{SCHEMA}/"
REVISION_BATCH = 200


def escape(text: str) -> str:
    """XML text: markup escaped, characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _escape(_NOT_XML.sub("\ufffd", text), {"\r": "&#13;"})


def sha1_base36(hex_digest: str) -> str:
    """MediaWiki's sha1 form: the digest in base 36, 31 digits."""
    number = int(hex_digest, 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out.rjust(31, "0")


def header() -> str:
    cfg = current_app.config
    base = cfg["WIKI_SERVER"] + cfg["WIKI_ARTICLE_PATH"].replace("$1", "Main_Page")
    lines = [
        f'<mediawiki xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} http://www.mediawiki.org/xml/export-{SCHEMA}.xsd" '
        f'version="{SCHEMA}" xml:lang="en">',
        "  <siteinfo>",
        f"    <sitename>{escape(cfg['WIKI_SITE_NAME'])}</sitename>",
        "    <dbname>wiki</dbname>",
        f"    <base>{escape(base)}</base>",
        f"    <generator>{escape(site.GENERATOR)}</generator>",
        "    <case>first-letter</case>",
        "    <namespaces>",
    ]
    for ns, name in sorted(site.namespaces().names.items()):
        if name:
            lines.append(f'      <namespace key="{ns}" case="first-letter">{escape(name)}</namespace>')
        else:
            lines.append(f'      <namespace key="{ns}" case="first-letter" />')
    lines += ["    </namespaces>", "  </siteinfo>"]
    return "\n".join(lines) + "\n"


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def revision_xml(row: Row[Any]) -> str:
    """One <revision> from a row of REVISION_COLUMNS."""
    parts = ["    <revision>", f"      <id>{row.id}</id>"]
    if row.parent_id:
        parts.append(f"      <parentid>{row.parent_id}</parentid>")
    parts.append(f"      <timestamp>{row.timestamp.strftime('%Y-%m-%dT%H:%M:%SZ')}</timestamp>")
    # What revision deletion hides is written as MediaWiki's dumps write it: deleted="deleted".
    bits = row.deleted or 0
    if bits & USER:
        parts.append('      <contributor deleted="deleted" />')
    elif row.user_id is None and _is_ip(row.user_text):
        parts.append(f"      <contributor>\n        <ip>{escape(row.user_text)}</ip>\n      </contributor>")
    else:
        parts.append(
            f"      <contributor>\n        <username>{escape(row.user_text)}</username>\n"
            f"        <id>{row.user_id or 0}</id>\n      </contributor>"
        )
    if row.minor:
        parts.append("      <minor />")
    if bits & COMMENT:
        parts.append('      <comment deleted="deleted" />')
    elif row.comment:
        parts.append(f"      <comment>{escape(row.comment)}</comment>")
    sha1 = sha1_base36(row.sha1)
    parts += [
        f"      <origin>{row.id}</origin>",
        "      <model>wikitext</model>",
        "      <format>text/x-wiki</format>",
    ]
    if bits & TEXT:
        parts += [f'      <text bytes="{row.size}" deleted="deleted" />', "      <sha1 />"]
    else:
        parts += [
            f'      <text bytes="{row.size}" sha1="{sha1}" xml:space="preserve">{escape(row.text)}</text>',
            f"      <sha1>{sha1}</sha1>",
        ]
    parts.append("    </revision>")
    return "\n".join(parts) + "\n"


REVISION_COLUMNS = (
    Revision.id,
    Revision.parent_id,
    Revision.timestamp,
    Revision.user_id,
    Revision.user_text,
    Revision.minor,
    Revision.comment,
    Revision.text,
    Revision.sha1,
    Revision.size,
    Revision.deleted,
)


def _revisions(page: Page, full_history: bool) -> Iterator[Row[Any]]:
    """Oldest first; read in batches so a long history never sits in memory at once."""
    if not full_history:
        yield db.session.execute(db.select(*REVISION_COLUMNS).where(Revision.id == page.latest)).one()
        return
    last = 0
    while True:
        rows = db.session.execute(
            db.select(*REVISION_COLUMNS)
            .where(Revision.page_id == page.id, Revision.id > last)
            .order_by(Revision.id)
            .limit(REVISION_BATCH)
        ).all()
        yield from rows
        if len(rows) < REVISION_BATCH:
            return
        last = rows[-1].id


def page_xml(page: Page, full_history: bool) -> Iterator[str]:
    title = pages.title_of(page)
    head = [
        "  <page>",
        f"    <title>{escape(title.prefixed_text)}</title>",
        f"    <ns>{page.namespace}</ns>",
        f"    <id>{page.id}</id>",
    ]
    if page.is_redirect:
        target = db.session.get(Redirect, page.id)
        if target is not None:
            shown = titles.Title(
                target.namespace,
                target.title.replace("_", " "),
                ns_name=site.namespaces().name(target.namespace),
            )
            head.append(f"    <redirect title={quoteattr(shown.prefixed_text)} />")
    yield "\n".join(head) + "\n"
    for row in _revisions(page, full_history):
        yield revision_xml(row)
    yield "  </page>\n"


def select_pages(namespaces: Iterable[int] | None = None) -> Iterator[Page]:
    """Every page (of these namespaces), by id, a batch at a time."""
    last = 0
    while True:
        query = db.select(Page).where(Page.id > last, Page.latest.is_not(None)).order_by(Page.id).limit(500)
        if namespaces:
            query = query.where(Page.namespace.in_(list(namespaces)))
        batch = list(db.session.scalars(query))
        yield from batch
        if len(batch) < 500:
            return
        last = batch[-1].id
        db.session.expunge_all()


def write(out: files.BinaryFile, page_list: Iterable[Page], *, full_history: bool) -> int:
    """Write a whole dump of `page_list` to `out`; returns the number of pages."""
    count = 0
    out.write(header().encode("utf-8"))
    for page in page_list:
        for chunk in page_xml(page, full_history):
            out.write(chunk.encode("utf-8"))
        count += 1
    out.write(b"</mediawiki>\n")
    return count


def stream(page_list: Iterable[Page], *, full_history: bool) -> Iterator[str]:
    """The same dump as text chunks, for an HTTP response."""
    yield header()
    for page in page_list:
        yield from page_xml(page, full_history)
    yield "</mediawiki>\n"
