"""A wiki full of random words, as an anonymous attacker would make one, for the pathological
searches (tests/search/test_pathological_search.py and bench/pathological_search.py).

Every page holds random lowercase "words" (so the index's lexicon is about as large as the text),
many of them sharing the prefixes `pre` and `zzq` (so one prefix reaches thousands of terms), plus
a few real words that "did you mean" can offer. The pages are bulk-loaded into the tables (the
searches are measured, not thousands of renders), then the index is rebuilt from them.
"""

from __future__ import annotations

import hashlib
import random
import string
from datetime import datetime

from flask import Flask

REAL_WORDS = ("history", "science", "transformer", "language", "network", "mountain", "river")
SHARED_PREFIXES = ("pre", "zzq")


def _word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return rng.choice(REAL_WORDS)
    body = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))
    if roll < 0.25:
        return rng.choice(SHARED_PREFIXES) + body
    return body


def page_text(rng: random.Random, words: int) -> str:
    return " ".join(_word(rng) for _ in range(words))


def load(app: Flask, pages: int, words: int = 150, seed: int = 16) -> int:
    """Add `pages` pages of `words` random words each, then rebuild the search index; the count."""
    from sqlalchemy import func, insert

    from wiki.extensions import db
    from wiki.models import Page, Revision
    from wiki.search import maintenance

    rng = random.Random(seed)
    stamp = datetime(2026, 1, 1)
    with app.app_context():
        start = (db.session.scalar(db.select(func.max(Page.id))) or 0) + 1
        rev_start = (db.session.scalar(db.select(func.max(Revision.id))) or 0) + 1
        for first in range(0, pages, 1000):
            page_rows, rev_rows = [], []
            for n in range(first, min(pages, first + 1000)):
                text = page_text(rng, words)
                data = text.encode()
                page_id, rev_id = start + n, rev_start + n
                page_rows.append(
                    dict(
                        id=page_id,
                        namespace=0,
                        title=f"Random_{n}_{rng.choice(REAL_WORDS)}_{page_text(rng, 2).replace(' ', '_')}",
                        latest=rev_id,
                        is_redirect=False,
                        length=len(data),
                        touched=stamp,
                        created=stamp,
                    )
                )
                rev_rows.append(
                    dict(
                        id=rev_id,
                        page_id=page_id,
                        parent_id=None,
                        text=text,
                        sha1=hashlib.sha1(data).hexdigest(),
                        size=len(data),
                        comment="random words",
                        user_text="127.0.0.1",
                        timestamp=stamp,
                        minor=False,
                    )
                )
            db.session.execute(insert(Page), page_rows)
            db.session.execute(insert(Revision), rev_rows)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in ("page", "revision"):
                db.session.execute(db.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
            db.session.commit()
        return maintenance.rebuild(app.extensions["wiki.search"], wait=True)
