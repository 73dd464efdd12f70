"""SearchIndex on PostgreSQL full-text search, for several app hosts on one database.

Whoosh keeps its index in one host's folder; behind a load balancer every host would need its own
copy, fed by its own drain of the outbox. This backend keeps the index in the shared database
instead (WIKI_SEARCH_BACKEND=postgres): one table, `search_doc`, one row per page with a weighted
tsvector (title A, redirects to it B, text D) under a GIN index, ranked with ts_rank_cd, snippets
cut by ts_headline from the stored plain text, and title prefixes served from a text_pattern_ops
index for suggestions. Every host sees an update the moment the drain commits it.

The table belongs to the backend (like Whoosh's folder): a rebuild creates it when missing, and
replaces the contents in one transaction, so readers see the old rows until the new ones commit.
A PostgreSQL advisory lock makes the outbox drain one writer at a time across hosts.
"""

from __future__ import annotations

import contextlib
import html
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError

from wiki.extensions import db
from wiki.search import limits, userquery
from wiki.search.base import (
    BadQuery,
    Document,
    Hit,
    Indexed,
    IndexUnavailable,
    QueryRefused,
    Results,
    Suggestion,
    TextSource,
)

CONFIG = "english"
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout
EXACT_COUNT_UP_TO = 2_000
# Ranking reads every match's tsvector: a word found on 20,000 pages cost 400 ms at 100,000 pages.
# Larger result sets are ranked among their first matches (the exact title always comes first).
RANKED_UP_TO = 2_000
BATCH = 500
START, STOP = "\x01", "\x02"  # ts_headline markers, replaced by HTML after escaping the text
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=2"
WHOLE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"


def _ddl(table: str) -> list[str]:
    """The backend's table and its indexes, under `table` (a rebuild fills a new one, then swaps)."""
    return [
        f"""CREATE TABLE IF NOT EXISTS {table} (
            page_id integer PRIMARY KEY,
            rev_id integer NOT NULL,
            namespace integer NOT NULL,
            prefixed text NOT NULL,
            title_key text NOT NULL,
            redirects text NOT NULL DEFAULT '',
            target text NOT NULL DEFAULT '',
            is_redirect boolean NOT NULL DEFAULT false,
            words integer NOT NULL DEFAULT 0,
            body text NOT NULL DEFAULT '',
            tsv tsvector NOT NULL
        )""",
        f"CREATE INDEX IF NOT EXISTS ix_{table}_tsv ON {table} USING gin (tsv)",
        f"CREATE INDEX IF NOT EXISTS ix_{table}_title_key ON {table} (title_key text_pattern_ops)",
    ]


UPSERT = sql(
    f"""INSERT INTO search_doc (page_id, rev_id, namespace, prefixed, title_key, redirects, target,
            is_redirect, words, body, tsv)
        VALUES (:page_id, :rev_id, :namespace, :prefixed, :title_key, :redirects, :target,
            :is_redirect, :words, :body,
            setweight(to_tsvector('{CONFIG}', :title), 'A')
            || setweight(to_tsvector('{CONFIG}', :redirects), 'B')
            || setweight(to_tsvector('{CONFIG}', :body), 'D'))
        ON CONFLICT (page_id) DO UPDATE SET rev_id = excluded.rev_id, namespace = excluded.namespace,
            prefixed = excluded.prefixed, title_key = excluded.title_key, redirects = excluded.redirects,
            target = excluded.target, is_redirect = excluded.is_redirect, words = excluded.words,
            body = excluded.body, tsv = excluded.tsv"""
)
_PREFIX = re.compile(rf"(?<![\w])(\w{{{limits.MIN_PREFIX_CHARS},}})\*")
_FIELD = re.compile(r"\b(?:intitle|incategory):", re.I)


def title_key(namespace: int, text: str) -> str:
    return f"{namespace}:{' '.join(text.replace('_', ' ').split()).casefold()}"


def _row(doc: Document) -> dict[str, object]:
    return {
        "page_id": doc.page_id,
        "rev_id": doc.rev_id,
        "namespace": doc.namespace,
        "prefixed": doc.prefixed,
        "title_key": title_key(doc.namespace, doc.title),
        "title": doc.title,
        "redirects": "\n".join(doc.redirects),
        "target": doc.target,
        "is_redirect": doc.is_redirect,
        "words": len(doc.body.split()),
        "body": doc.body.replace("\x00", " "),
    }


def _lock_key(name: str) -> int:
    return zlib.crc32(f"wiki.search.{name}".encode()) & 0x7FFFFFFF


def _mark(text: str) -> str:
    """ts_headline's output as HTML: the text escaped, the markers as searchmatch spans."""
    escaped = html.escape(text, quote=False)
    return escaped.replace(START, '<span class="searchmatch">').replace(STOP, "</span>")


def tsquery_sql(cleaned: str) -> tuple[str, dict[str, object]]:
    """SQL for the query's tsquery: web-search syntax, plus word* as a prefix match."""
    prefixes = [p.lower() for p in _PREFIX.findall(cleaned)]
    rest = _FIELD.sub(" ", _PREFIX.sub(" ", cleaned)).strip()
    parts: list[str] = []
    params: dict[str, object] = {}
    if rest:
        parts.append(f"websearch_to_tsquery('{CONFIG}', :q)")
        params["q"] = rest
    for i, prefix in enumerate(prefixes):
        parts.append(f"to_tsquery('{CONFIG}', :p{i})")
        params[f"p{i}"] = prefix + ":*"
    if not parts:
        raise BadQuery("Type one or more words to search for.")
    return " && ".join(parts), params


class _Bulk:
    """Every write commits at once: an upsert costs the same alone as in a batch here."""

    def __init__(self, index: PostgresIndex):
        self.write = index.update

    def commit(self) -> None:
        pass


class PostgresIndex:
    """SearchIndex over the search_doc table of the wiki's own PostgreSQL database."""

    def __init__(self) -> None:
        self._exists = False

    # -- state ----------------------------------------------------------------------------

    def available(self) -> bool:
        if self._exists:
            return True
        try:
            with db.engine.connect() as conn:
                self._exists = conn.execute(sql("SELECT to_regclass('search_doc')")).scalar() is not None
        except Exception:
            return False
        return self._exists

    @contextlib.contextmanager
    def exclusive(self, name: str = "writer", wait: bool = False) -> Iterator[bool]:
        """A session-level advisory lock, held on a connection of its own for the block."""
        key = _lock_key(name)
        with db.engine.connect() as conn:
            if wait:
                conn.execute(sql("SELECT pg_advisory_lock(:k)"), {"k": key})
                held = True
            else:
                held = bool(conn.execute(sql("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield held
            finally:
                if held:
                    conn.execute(sql("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()

    def indexed(self, page_ids: Iterable[int] | None = None) -> dict[int, Indexed]:
        self._require()
        stmt = "SELECT page_id, rev_id, redirects, target FROM search_doc"
        params: dict[str, object] = {}
        if page_ids is not None:
            ids = list(page_ids)
            if not ids:
                return {}
            stmt += " WHERE page_id = ANY(:ids)"
            params["ids"] = ids
        with db.engine.connect() as conn:
            rows = conn.execute(sql(stmt), params).all()
        return {r[0]: Indexed(r[1], tuple(x for x in r[2].split("\n") if x), r[3]) for r in rows}

    def words(self, page_ids: Iterable[int]) -> dict[int, int]:
        ids = list(page_ids)
        if not ids or not self.available():
            return {}
        with db.engine.connect() as conn:
            rows = conn.execute(
                sql("SELECT page_id, words FROM search_doc WHERE page_id = ANY(:ids)"), {"ids": ids}
            ).all()
        return {r[0]: r[1] for r in rows}

    def _require(self) -> None:
        if not self.available():
            raise IndexUnavailable("The search index has not been built yet.")

    # -- writing --------------------------------------------------------------------------

    def update(self, docs: Sequence[Document], deleted: Iterable[int] = ()) -> None:
        self._require()
        gone = list(deleted)
        with db.engine.begin() as conn:
            if docs:
                conn.execute(UPSERT, [_row(d) for d in docs])
            if gone:
                conn.execute(sql("DELETE FROM search_doc WHERE page_id = ANY(:ids)"), {"ids": gone})

    def tidy(self) -> bool:
        return False  # PostgreSQL's autovacuum keeps the GIN index in shape

    @contextlib.contextmanager
    def bulk(self) -> Iterator[_Bulk]:
        yield _Bulk(self)

    def rebuild(self, docs: Iterable[Document], progress: Callable[[int], None] | None = None) -> int:
        """Fill a new table beside the live one, then swap them in one short transaction: readers
        see the old rows until the swap, and no dead rows of the old contents are left behind."""
        count = 0
        with db.engine.begin() as conn:
            conn.execute(sql("DROP TABLE IF EXISTS search_doc_new"))
            conn.execute(sql(_ddl("search_doc_new")[0]))
            upsert = sql(UPSERT.text.replace("INSERT INTO search_doc ", "INSERT INTO search_doc_new "))
            batch: list[dict[str, object]] = []
            for doc in docs:
                batch.append(_row(doc))
                if len(batch) >= BATCH:
                    conn.execute(upsert, batch)
                    count += len(batch)
                    if progress is not None:
                        progress(len(batch))
                    batch = []
            if batch:
                conn.execute(upsert, batch)
                count += len(batch)
                if progress is not None:
                    progress(len(batch))
            for statement in _ddl("search_doc_new")[1:]:  # indexes after the rows: faster
                conn.execute(sql(statement))
            conn.execute(sql("DROP TABLE IF EXISTS search_doc"))
            conn.execute(sql("ALTER TABLE search_doc_new RENAME TO search_doc"))
            for old, new in (
                ("search_doc_new_pkey", "search_doc_pkey"),
                ("ix_search_doc_new_tsv", "ix_search_doc_tsv"),
                ("ix_search_doc_new_title_key", "ix_search_doc_title_key"),
            ):
                conn.execute(sql(f"ALTER INDEX {old} RENAME TO {new}"))
        with db.engine.connect() as conn:
            conn.execute(sql("ANALYZE search_doc"))
            conn.commit()
        self._exists = True
        return count

    # -- reading --------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        namespaces: Sequence[int] = (0,),
        limit: int = 20,
        offset: int = 0,
        texts: TextSource | None = None,
    ) -> Results:
        self._require()
        clean = userquery.clean(text)
        offset, limit = limits.page(offset, limit)
        tsq, params = tsquery_sql(clean.text)
        params.update(ns=list(namespaces), exact=title_key(namespaces[0] if namespaces else 0, clean.shown))
        where = f"d.tsv @@ ({tsq}) AND d.namespace = ANY(:ns) AND NOT d.is_redirect"
        results = Results(query=clean.shown, message=clean.note)
        try:
            with db.engine.connect() as conn:
                # A GIN prefix scan cannot be capped to a number of terms: time is.
                conn.execute(sql(f"SET LOCAL statement_timeout = {limits.PG_STATEMENT_TIMEOUT_MS}"))
                ids, counted = self._ranked(conn, where, tsq, params, offset, limit)
                rows = self._rows(conn, tsq, params, ids)
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) != QUERY_CANCELED:
                raise
            raise QueryRefused(
                "This search took too long and was stopped; search for more specific words."
            ) from exc
        order = {page_id: n for n, page_id in enumerate(ids)}
        rows = sorted(rows, key=lambda r: order[r.page_id])
        results.total = max(counted, offset + len(rows))
        results.total_exact = counted <= EXACT_COUNT_UP_TO
        results.hits = [self._hit(r) for r in rows]
        return results

    @staticmethod
    def _ranked(
        conn: Connection, where: str, tsq: str, params: dict[str, object], offset: int, limit: int
    ) -> tuple[list[int], int]:
        """(page ids of this page of results, number of matches counted)."""
        cap = max(RANKED_UP_TO + offset, EXACT_COUNT_UP_TO) + 1
        # One pass over the first `cap` matches counts them and ranks the first RANKED_UP_TO
        # (ts_rank_cd reads each one's tsvector: only those it ranks are read).
        ranked = conn.execute(
            sql(
                f"""SELECT page_id, is_exact, count(*) OVER () AS matches FROM (
                        SELECT page_id, is_exact, CASE WHEN rn <= :ranked
                               THEN ts_rank_cd(tsv, ({tsq}), 1) ELSE 0 END AS score
                        FROM (SELECT d.page_id, d.title_key = :exact AS is_exact, d.tsv,
                                     row_number() OVER () AS rn
                              FROM (SELECT * FROM search_doc d WHERE {where} LIMIT :cap) d) numbered
                    ) scored
                    ORDER BY is_exact DESC, score DESC, page_id LIMIT :limit OFFSET :offset"""
            ),
            {**params, "ranked": RANKED_UP_TO + offset, "cap": cap, "limit": limit, "offset": offset},
        ).all()
        counted = ranked[0].matches if ranked else 0
        ids = [r.page_id for r in ranked]
        if offset == 0 and counted >= cap and not any(r.is_exact for r in ranked):
            # The page titled as the query comes first even when it was not among the first matches.
            exact = conn.execute(
                sql(f"SELECT d.page_id FROM search_doc d WHERE {where} AND d.title_key = :exact"), params
            ).scalar()
            if exact is not None:
                ids = [exact, *[i for i in ids if i != exact]][:limit]
        return ids, counted

    @staticmethod
    def _rows(conn: Connection, tsq: str, params: dict[str, object], ids: list[int]) -> list[Row[Any]]:
        """The hits' fields, scores and headlines (in no particular order)."""
        if not ids:
            return []
        return list(
            conn.execute(
                sql(
                    f"""SELECT d.page_id, d.rev_id, d.namespace, d.prefixed, d.redirects, d.words,
                            ts_rank_cd(d.tsv, ({tsq}), 1) AS score,
                            ts_headline('{CONFIG}', d.body, ({tsq}), :headline) AS snippet,
                            ts_headline('{CONFIG}', d.prefixed, ({tsq}), :whole) AS title_html
                        FROM search_doc d WHERE d.page_id = ANY(:ids)"""
                ),
                {**params, "ids": ids, "headline": HEADLINE, "whole": WHOLE},
            ).all()
        )

    @staticmethod
    def _hit(r: Row[Any]) -> Hit:
        return Hit(
            page_id=r.page_id,
            rev_id=r.rev_id,
            namespace=r.namespace,
            prefixed=r.prefixed,
            title_html=_mark(r.title_html),
            snippet_html=_mark(r.snippet),
            words=r.words,
            score=float(r.score or 0.0),
        )

    def suggest(self, prefix: str, limit: int = 10, namespace: int = 0) -> list[Suggestion]:
        if not prefix.strip() or not self.available():
            return []
        key = title_key(namespace, prefix)
        pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with db.engine.connect() as conn:
            rows = conn.execute(
                sql(
                    "SELECT page_id, prefixed, is_redirect, target FROM search_doc"
                    " WHERE title_key LIKE :pattern ORDER BY title_key LIMIT :n"
                ),
                {"pattern": pattern, "n": limit * 2},
            ).all()
        out: list[Suggestion] = []
        seen: set[str] = set()
        for page_id, prefixed, is_redirect, target in rows:
            shown = target if is_redirect and target else prefixed
            if shown not in seen:
                seen.add(shown)
                out.append(Suggestion(shown, page_id))
        return out[:limit]
