"""The Whoosh implementation of SearchIndex (the default backend).

One document per page, redirects included: a redirect's document serves title suggestions (it
resolves to its target); full-text results leave redirects out and find them instead through the
`redirects` field of their target, so "Transformer" finds the page it redirects to and says
"redirect from Transformer". Every document stores the revision id it was built from, which is
what check-index compares with the database.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from whoosh import collectors, query
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import BOOLEAN, ID, STORED, TEXT, Schema
from whoosh.reading import SegmentReader
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from wiki.search import limits, snippets, userquery, whoosh_query
from wiki.search.base import (
    BadQuery,
    Document,
    Hit,
    Indexed,
    IndexUnavailable,
    Results,
    Suggestion,
    TextSource,
)
from wiki.search.whoosh_query import ANALYZER
from wiki.search.whoosh_store import Store

log = logging.getLogger(__name__)
WINDOW = 100
# Uncompressed posting blocks: about 40% faster indexing and no inflating on every query, for a
# larger index on disk.
CODEC_ARGS = {"compression": 0}
# Separate segment files, not one compound file: Whoosh reads a compound segment by copying each
# of its files into memory (BytesIO over the mmap), which at 100,000 pages cost every index update
# and every new searcher about half a second and each worker hundreds of MB.
WRITER_ARGS = {"compound": False}
TIDY_SEGMENTS_BELOW = 10_000  # an idle indexer merges the segments smaller than this (pages) into one
DID_YOU_MEAN_BELOW = 5  # a query with fewer hits than this gets a spelling suggestion, if one finds more

SCHEMA = Schema(
    page_id=ID(unique=True, stored=True),
    rev_id=STORED(),
    ns=ID(stored=True),
    title=TEXT(analyzer=ANALYZER, stored=True, multitoken_query="phrase"),
    prefixed=STORED(),
    title_key=ID(),
    redirects=TEXT(analyzer=ANALYZER, stored=True, multitoken_query="phrase"),
    body=TEXT(analyzer=ANALYZER, multitoken_query="phrase"),
    is_redirect=BOOLEAN(stored=True),
    target=STORED(),
    words=STORED(),
)


def title_key(namespace: int, text: str) -> str:
    """The exact-title key: namespace and case-folded title, so matching ignores case."""
    return f"{namespace}:{' '.join(text.replace('_', ' ').split()).casefold()}"


def _fields(doc: Document) -> dict[str, object]:
    return {
        "page_id": str(doc.page_id),
        "rev_id": doc.rev_id,
        "ns": str(doc.namespace),
        "title": doc.title,
        "prefixed": doc.prefixed,
        "title_key": title_key(doc.namespace, doc.title),
        "redirects": "\n".join(doc.redirects),
        "body": doc.body,
        "is_redirect": doc.is_redirect,
        "target": doc.target,
        "words": len(doc.body.split()),
    }


class WhooshIndex:
    """SearchIndex over a Whoosh index in `root` (see whoosh_store for the layout)."""

    def __init__(self, root: str):
        self.store = Store(root, SCHEMA)
        self.parser = whoosh_query.make_parser(SCHEMA)

    # -- state ----------------------------------------------------------------------------

    def available(self) -> bool:
        try:
            with self.store.searcher():
                return True
        except Exception:
            return False

    def exclusive(self, name: str = "writer", wait: bool = False) -> AbstractContextManager[bool]:
        return self.store.writer_lock(f"{name}.lock", wait=wait)

    def indexed(self, page_ids: Iterable[int] | None = None) -> dict[int, Indexed]:
        out: dict[int, Indexed] = {}
        with self.store.searcher() as searcher:
            if page_ids is None:
                stored = searcher.all_stored_fields()
            else:
                numbers = (searcher.document_number(page_id=str(p)) for p in page_ids)
                stored = (searcher.stored_fields(n) for n in numbers if n is not None)
            for fields in stored:
                redirects = tuple(r for r in fields.get("redirects", "").split("\n") if r)
                out[int(fields["page_id"])] = Indexed(fields["rev_id"], redirects, fields.get("target", ""))
        return out

    def words(self, page_ids: Iterable[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        with self.store.searcher() as searcher:
            for page_id in page_ids:
                number = searcher.document_number(page_id=str(page_id))
                if number is not None:
                    out[page_id] = searcher.stored_fields(number).get("words", 0)
        return out

    # -- writing --------------------------------------------------------------------------

    def update(self, docs: Sequence[Document], deleted: Iterable[int] = ()) -> None:
        """Callers hold the store's writer lock, so Whoosh's own lock is never contended."""
        ix = self.store.open_index()
        writer = ix.writer(timeout=30.0, codec=W3Codec(**CODEC_ARGS), **WRITER_ARGS)
        try:
            for doc in docs:
                writer.update_document(**_fields(doc))
            for page_id in deleted:
                writer.delete_by_term("page_id", str(page_id))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    @contextlib.contextmanager
    def bulk(self) -> Iterator[_Bulk]:
        bulk = _Bulk(self.store)
        try:
            yield bulk
        except BaseException:
            bulk.cancel()
            raise
        bulk.commit()

    def tidy(self) -> bool:
        """Merge the small segments that updates add into one (each segment costs every query a
        matcher of its own); callers hold the writer lock. Large segments are left alone: merging
        them would hold up the next updates for minutes (`reindex` makes one segment)."""
        ix = self.store.open_index()
        small = [seg for seg in ix._segments() if seg.doc_count_all() < TIDY_SEGMENTS_BELOW]
        if len(small) < 2:
            return False
        small_ids = {seg.segment_id() for seg in small}

        def merge_small(writer: Any, segments: list[Any]) -> list[Any]:
            kept = []
            for seg in segments:
                if seg.segment_id() in small_ids:
                    reader = SegmentReader(writer.storage, writer.schema, seg)
                    writer.add_reader(reader)
                    reader.close()
                else:
                    kept.append(seg)
            return kept

        writer = ix.writer(timeout=30.0, codec=W3Codec(**CODEC_ARGS), **WRITER_ARGS)
        writer.commit(mergetype=merge_small)
        return True

    def rebuild(self, docs: Iterable[Document], progress: Callable[[int], None] | None = None) -> int:
        gen, ix = self.store.new_generation()
        count = 0
        try:
            writer = ix.writer(limitmb=256, codec=W3Codec(**CODEC_ARGS), **WRITER_ARGS)
            for doc in docs:
                writer.add_document(**_fields(doc))
                count += 1
                if progress is not None and count % 100 == 0:
                    progress(100)
            writer.commit(optimize=True)
            if progress is not None:
                progress(count % 100)
        except BaseException:
            self.store.discard(gen)
            raise
        self.store.swap(gen)
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
        clean = userquery.clean(text)
        offset, limit = limits.page(offset, limit)
        q = whoosh_query.parse(self.parser, clean.text)
        words, prefixes = whoosh_query.positive_terms(q)
        exact = query.Or(
            [query.Term("title_key", title_key(ns, clean.shown)) for ns in namespaces], boost=EXACT_BOOST
        )
        results = Results(query=clean.shown, message=clean.note)
        try:
            with self.store.searcher() as searcher:
                final = query.AndMaybe(_content(searcher, q, namespaces), exact)
                # Whoosh's top-N is not a prefix of its top-2N when scores are close, so every page
                # within the first WINDOW hits is cut from the same top-WINDOW: pages never overlap.
                window = -(-(offset + limit) // WINDOW) * WINDOW
                found, results.total, results.total_exact = _ranked(searcher, final, window, words, prefixes)
                page = found[offset : offset + limit]
                light = snippets.Highlighter(words, prefixes, whoosh_query.stem)
                bodies = texts([h["rev_id"] for h in page]) if texts is not None and page else {}
                results.hits = [self._hit(h, light, bodies) for h in page]
                if results.total < DID_YOU_MEAN_BELOW and not prefixes:
                    self._did_you_mean(searcher, clean.text, results, namespaces)
        except IndexUnavailable:
            raise
        except Exception as exc:  # a damaged index file, or a query Whoosh cannot run
            log.exception("search for %r failed", clean.text)
            if not self.store.healthy():
                raise IndexUnavailable("The search index is damaged.") from exc
            raise BadQuery("This query could not be run; try fewer or simpler words.") from exc
        return results

    def _hit(self, hit: WhooshHit, light: snippets.Highlighter, bodies: Mapping[int, str]) -> Hit:
        stored = hit.fields()
        out = Hit(
            page_id=int(stored["page_id"]),
            rev_id=stored["rev_id"],
            namespace=int(stored["ns"]),
            prefixed=stored["prefixed"],
            title_html=light.mark(stored["prefixed"]),
            words=stored.get("words", 0),
            score=hit.score or 0.0,
        )
        body = bodies.get(out.rev_id)
        if body is not None:
            out.snippet_html = snippets.snippet(body, light)
        if stored.get("redirects"):
            title_hits = len(light.spans(stored["prefixed"]))
            best = max(
                (r for r in stored.get("redirects", "").split("\n") if r),
                key=lambda r: len(light.spans(r)),
                default=None,
            )
            if best is not None and len(light.spans(best)) > title_hits:
                out.redirect_from, out.redirect_html = best, light.mark(best)
        return out

    def _did_you_mean(
        self, searcher: Searcher, text: str, results: Results, namespaces: Sequence[int]
    ) -> None:
        corrected = whoosh_query.correct_words(searcher.reader(), text)
        if corrected is None:
            return
        try:
            q = whoosh_query.parse(self.parser, corrected[0])
        except BadQuery:
            return
        # Unscored and lazily: enough to know that the correction finds more than the query did.
        matches = searcher.docs_for_query(_content(searcher, q, namespaces))
        if sum(1 for _ in itertools.islice(matches, results.total + 1)) > results.total:
            results.suggestion, results.suggestion_html = corrected

    def suggest(self, prefix: str, limit: int = 10, namespace: int = 0) -> list[Suggestion]:
        key = title_key(namespace, prefix)
        if not prefix.strip():
            return []
        out: list[Suggestion] = []
        seen: set[str] = set()
        try:
            with self.store.searcher() as searcher:
                reader = searcher.reader()
                for term in reader.expand_prefix("title_key", key):
                    for docnum in searcher.document_numbers(title_key=_text(term)):
                        stored = searcher.stored_fields(docnum)
                        target = stored.get("target") if stored.get("is_redirect") else None
                        shown = target or stored["prefixed"]
                        if shown not in seen:
                            seen.add(shown)
                            out.append(Suggestion(shown, int(stored["page_id"])))
                    if len(out) >= limit:
                        return out[:limit]
        except IndexUnavailable:
            raise
        except Exception as exc:  # a damaged index file, or one the indexer is replacing right now
            log.exception("suggestions for %r failed", prefix)
            raise IndexUnavailable("The search index could not be read.") from exc
        return out


class _Bulk:
    """One Whoosh writer for many updates. Each commit adds a segment without merging: catching up
    on a large import must not rewrite the whole index again and again (Whoosh's default merges
    did, for minutes, at 100,000 pages); later commits merge the small segments as usual."""

    def __init__(self, store: Store):
        self.store = store
        self._writer: Any = None  # a whoosh IndexWriter while one is open
        self._pages: set[int] = set()

    def write(self, docs: Sequence[Document], deleted: Iterable[int] = ()) -> None:
        deleted = list(deleted)
        ids = {d.page_id for d in docs} | set(deleted)
        if ids & self._pages:
            # A writer cannot replace a document it added itself: commit the first one before.
            self.commit()
        if self._writer is None:
            ix = self.store.open_index()
            self._writer = ix.writer(limitmb=256, codec=W3Codec(**CODEC_ARGS), **WRITER_ARGS)
        for doc in docs:
            self._writer.update_document(**_fields(doc))
        for page_id in deleted:
            self._writer.delete_by_term("page_id", str(page_id))
        self._pages |= ids

    def commit(self) -> None:
        if self._writer is not None:
            writer, self._writer, self._pages = self._writer, None, set()
            writer.commit(merge=False)

    def cancel(self) -> None:
        if self._writer is not None:
            writer, self._writer, self._pages = self._writer, None, set()
            writer.cancel()


EXACT_BOOST = whoosh_query.EXACT_TITLE_BOOST
EXACT_COUNT_UP_TO = 5_000


def _content(searcher: Searcher, q: query.Query, namespaces: Sequence[int]) -> query.Query:
    """`q` limited to these namespaces, redirects left out (their targets carry their titles)."""
    reader = searcher.reader()
    present = {_text(term) for term in reader.lexicon("ns")}
    wanted = present & {str(ns) for ns in namespaces}
    others = present - wanted
    # Intersecting with a posting list of (nearly) every document costs time for nothing, so the
    # namespaces asked for are required when they are the smaller share, the others excluded if not.
    if others:
        share = sum(reader.doc_frequency("ns", ns) for ns in wanted)
        if share * 2 > reader.doc_count_all():
            q = query.AndNot(q, query.Or([query.Term("ns", ns) for ns in sorted(others)]))
        else:
            q = query.And([q, query.Or([query.Term("ns", ns) for ns in sorted(wanted)] or [query.NullQuery])])
    return query.AndNot(q, query.Term("is_redirect", True))


BODY_SAMPLE = 500


def _ranked(
    searcher: Searcher, final: query.Query, window: int, words: set[str], prefixes: set[str]
) -> tuple[list[WhooshHit], int, bool]:
    """(the best `window` hits, number of matches, exact?).

    Up to EXACT_COUNT_UP_TO estimated matches, every one is scored, which also counts them. Beyond,
    scoring every match of common words in pure Python cost up to 200 ms at 100,000 pages, and
    Whoosh's block-max skipping saves little for several words over three fields (or a word on
    nearly every page); so pages whose title or redirects hold a query word are all ranked, and
    the others among their first BODY_SAMPLE matches, newest pages first. The count is then
    Whoosh's estimate (an upper bound).
    """
    estimate = final.estimate_size(searcher.reader())
    if estimate <= EXACT_COUNT_UP_TO:
        found = searcher.search(final, limit=window, optimize=False)
        return list(found), len(found), True
    titled = _in_titles(words, prefixes)
    # Few pages have a word in their title: score them all (Whoosh's block-max skipping of a
    # Require query also trips an assertion of its own).
    hits = list(searcher.search(query.Require(final, titled), limit=window, optimize=False))
    sample = _Sample(window, BODY_SAMPLE)
    searcher.search_with_collector(query.AndNot(final, titled), sample)
    hits += list(sample.results())
    hits.sort(key=lambda hit: (-hit.score, hit.docnum))
    return hits[:window], estimate, False


def _in_titles(words: set[str], prefixes: set[str]) -> query.Query:
    """Pages with one of these words (or prefixes) in the title or a redirect's title."""
    fields = ("title", "redirects")
    terms = [query.Term(f, w) for w in sorted(words) for f in fields]
    terms += [whoosh_query.bounded_prefix(f, p) for p in sorted(prefixes) for f in fields]
    return query.Or(terms) if terms else query.NullQuery


class _Sample(collectors.TopCollector):  # type: ignore[misc]  # whoosh has no type information
    """The best `limit` among the first `cap` matches, newest segment first (so recent edits count)."""

    def __init__(self, limit: int, cap: int):
        super().__init__(limit=limit, usequality=False)
        self.cap = cap

    def run(self) -> None:
        seen = 0
        try:
            for subsearcher, offset in reversed(list(self.top_searcher.leaf_searchers())):
                self.set_subsearcher(subsearcher, offset)
                for sub_docnum in self.matches():
                    self.collect(sub_docnum)
                    seen += 1
                    if seen >= self.cap:
                        return
        finally:
            self.finish()


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
