"""Parsing a cleaned query for Whoosh, the terms to highlight, and "did you mean" corrections."""

from __future__ import annotations

import itertools
import string
import time
from collections.abc import Iterable
from typing import Any

from whoosh import matching, qparser, query
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from wiki.search.base import BadQuery
from wiki.search.limits import (
    CORRECTION_BUDGET,
    MAX_CORRECTED_CHARS,
    MAX_CORRECTED_WORDS,
    MAX_CORRECTION_SCAN,
    MAX_PREFIX_SCAN,
    MAX_PREFIX_TERMS,
    MIN_PREFIX_CHARS,
)

ANALYZER = StemmingAnalyzer(minsize=1)
TEXT_FIELDS = ("title", "redirects", "body")
BOOSTS = {"title": 6.0, "redirects": 4.0, "body": 1.0}
EXACT_TITLE_BOOST = 40.0
# "-word" and "NOT word" exclude; a hyphen inside a word ("GPT-3") does not.
_NOT = r"(^|(?<=(\s|[()])))(NOT\s+|-(?=[^\s-]))"


def make_parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=BOOSTS)
    for plugin in (qparser.SingleQuotePlugin, qparser.RangePlugin, qparser.BoostPlugin, qparser.EveryPlugin):
        parser.remove_plugin_class(plugin)
    parser.replace_plugin(
        qparser.OperatorsPlugin(Not=_NOT, And=r"(?<=\s)AND(?=\s)", AndNot=None, AndMaybe=None, Require=None)
    )
    parser.add_plugin(qparser.FieldAliasPlugin({"title": ["intitle"]}))
    return parser


class BoundedPrefix(query.Prefix):  # type: ignore[misc]  # whoosh has no type information
    """word*, expanded to at most MAX_PREFIX_TERMS index terms: the most frequent among the first
    MAX_PREFIX_SCAN (Whoosh's Prefix ORs every term of the lexicon that starts so).

    Matching is constant-score, as Whoosh's Prefix, from one sorted list of the terms' pages:
    Whoosh's tree of one union matcher per term cost seconds for a few hundred terms."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self._expanded: dict[int, tuple[IndexReader, list[bytes]]] = {}

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        known = self._expanded.get(id(ixreader))
        if known is None or known[0] is not ixreader:  # a reader per segment, and the whole index
            pairs = itertools.islice(ixreader.iter_prefix(self.fieldname, self.text), MAX_PREFIX_SCAN)
            found = sorted(((info.doc_frequency(), term) for term, info in pairs), key=lambda p: -p[0])
            known = (ixreader, sorted(term for _freq, term in found[:MAX_PREFIX_TERMS]))
            self._expanded[id(ixreader)] = known
        return known[1]

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        pages: set[int] = set()
        for term in self._btexts(reader):
            pages.update(reader.postings(self.fieldname, term).all_ids())
        if not pages:
            return matching.NullMatcher()
        return matching.ListMatcher(sorted(pages), all_weights=self.boost)


def _bounded(q: query.Query) -> query.Query:
    """Every pattern leaf of `q` as a BoundedPrefix of its literal start (or the plain word)."""
    if isinstance(q, query.PatternQuery) and not isinstance(q, BoundedPrefix):
        start = q.text.split("*", 1)[0].split("?", 1)[0]
        if len(start) < MIN_PREFIX_CHARS:
            return query.Term(q.fieldname, q.text.replace("*", "").replace("?", ""), boost=q.boost)
        return BoundedPrefix(q.fieldname, start, boost=q.boost)
    return q


def bounded_prefix(fieldname: str, text: str) -> query.Query:
    return BoundedPrefix(fieldname, text)


def stem(word: str) -> str:
    tokens = [t.text for t in ANALYZER(word, removestops=False)]
    return tokens[0] if tokens else word.lower()


def _positive(q: query.Query) -> Iterable[query.Query]:
    """Leaves of `q` that must or may match (not the excluded ones)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive(child)


def positive_terms(q: query.Query) -> tuple[set[str], set[str]]:
    """(stemmed words, prefixes) the user asked for, to highlight and to test for a search at all."""
    words, prefixes = set(), set()
    for leaf in _positive(q):
        if isinstance(leaf, query.Prefix):
            prefixes.add(leaf.text)
        elif isinstance(leaf, query.Term) and leaf.fieldname in TEXT_FIELDS:
            words.add(leaf.text)
        elif isinstance(leaf, query.Phrase):
            words.update(leaf.words)
    return words, prefixes


def parse(parser: qparser.QueryParser, text: str) -> query.Query:
    """The Whoosh query for `text`, or BadQuery when it has nothing to look for."""
    try:
        q = parser.parse(text)
    except Exception as exc:  # the parser is lenient; this is the last line of defence
        raise BadQuery("The query could not be understood; try plain words.") from exc
    q = q.accept(_bounded)
    for leaf in q.leaves():
        # The parser boosts words by field, not prefix* patterns: a title match must rank first.
        if isinstance(leaf, query.PatternQuery) and leaf.fieldname in BOOSTS:
            leaf.boost = BOOSTS[leaf.fieldname]
    words, prefixes = positive_terms(q)
    if not words and not prefixes:
        if text.strip():
            raise BadQuery(
                "The query has no words to search for (very common words such as "
                "“the” and excluded words alone do not select pages)."
            )
        raise BadQuery("Type one or more words to search for.")
    return q


# The budget counts this thread's CPU time: it bounds the work, and a machine busy with other
# processes (a test run beside three others on two cores) no longer cuts a correction short.
_clock = time.thread_time


def correct_words(reader: IndexReader, text: str, rare: int = 1) -> tuple[str, str] | None:
    """(corrected text, HTML with corrections in <em>) when some word of `text` is (nearly)
    absent from the index and a word within two edits of it is common; else None.

    Bounded per query (wiki.search.limits): the first MAX_CORRECTED_WORDS candidates for a
    correction are looked up, each over at most MAX_CORRECTION_SCAN index terms, all within
    CORRECTION_BUDGET seconds of CPU; the other words stay as typed."""
    deadline = _clock() + CORRECTION_BUDGET
    out, html_out, changed, looked = [], [], False, 0
    for word in text.split():
        plain = word.strip('"()').lower()
        fix = None
        if (
            looked < MAX_CORRECTED_WORDS
            and plain.isalpha()
            and 4 <= len(plain) <= MAX_CORRECTED_CHARS
            and _clock() < deadline
            and reader.doc_frequency("body", stem(plain)) <= rare
        ):
            looked += 1
            fix = _best_correction(reader, plain, deadline)
        if fix is not None:
            changed = True
            out.append(word.lower().replace(plain, fix))
            html_out.append(f"<em>{_escape(word.lower().replace(plain, fix))}</em>")
        else:
            out.append(word)
            html_out.append(_escape(word))
    if not changed:
        return None
    return " ".join(out), " ".join(html_out)


def _best_correction(reader: IndexReader, word: str, deadline: float) -> str | None:
    """The most frequent indexed stem within 1-2 edits of the word's stem, in the word's own form.

    The body field holds stems, so candidates are stems ("transform"); the user's ending is put
    back when it still stems the same ("transfromer" -> "transformer").
    """
    base = stem(word)
    maxdist = 1 if len(base) < 5 else 2
    best: tuple[int, int, str] | None = None
    # Sharing the first two letters keeps the automaton walk to a small slice of the lexicon; a
    # slip in the second letter ("hstory") is looked for after, among the words one edit away there.
    for candidate in _near(reader, base, maxdist, deadline):
        freq = reader.doc_frequency("body", candidate)
        key = (_distance(base, candidate), -freq, candidate)
        if freq > 1 and (best is None or key < best):
            best = key
    if best is None:
        for candidate in _second_letter_slips(base):
            freq = reader.doc_frequency("body", candidate)
            key = (1, -freq, candidate)
            if freq > 1 and (best is None or key < best):
                best = key
    if best is None:
        return None
    return _surface(word, base, best[2])


def _near(reader: IndexReader, base: str, maxdist: int, deadline: float) -> Iterable[str]:
    """Indexed terms within `maxdist` edits of `base` sharing its first two letters, at most
    MAX_CORRECTION_SCAN of them, until the deadline."""
    scanned = 0
    for leaf, _offset in reader.leaf_readers():
        for candidate in leaf.terms_within("body", base, maxdist, prefix=2):
            scanned += 1
            if scanned > MAX_CORRECTION_SCAN or _clock() > deadline:
                return
            if candidate != base:
                yield candidate


def _second_letter_slips(base: str) -> set[str]:
    """Words one edit away from `base` at its second letter (inserted, replaced, dropped, swapped)."""
    head, tail = base[:1], base[1:]
    letters = set(string.ascii_lowercase) | set(base)
    out = {head + tail[1:], head + tail[1:2] + tail[:1] + tail[2:]}
    for letter in letters:
        out.add(head + letter + tail)
        out.add(head + letter + tail[1:])
    out.discard(base)
    return out


_ENDINGS = (
    *("", "s", "e", "es", "er", "ers", "ed", "ing", "ion", "ions", "ation", "al", "ly", "y", "ies"),
    *("ic", "ical", "ity", "ment", "ments", "ness", "ous", "ive", "ize", "ise", "ist", "ists"),
)


def _surface(word: str, base: str, candidate: str) -> str:
    """The form of stem `candidate` closest to what the user typed ("transformr" -> "transformer")."""
    forms = {candidate + ending for ending in _ENDINGS}
    if candidate.endswith("i"):  # the stemmer's y -> i ("histori" is "history")
        forms |= {candidate[:-1] + ending for ending in ("y", "ies")}
    if word.startswith(base):
        forms.add(candidate + word[len(base) :])
    fitting = [f for f in forms if stem(f) == candidate] or [candidate]
    return min(fitting, key=lambda f: (_distance(word, f), -len(f), f))


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), for ranking candidates."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
