"""Diffs through HTTP are bounded whatever the revisions (issue 16): an anonymous ?diff=prev
between two revisions of each pathological case answers in under a second (it took 33-142 s).

One wiki serves the module: the cases are saved once (2 MiB revisions), and the search indexer
has caught up before anything is timed, so the times are the diff view's own."""

from __future__ import annotations

import pytest

from bench.pathological_diffs import Timer, cases
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient
from tests.security.conftest import anonymous

# Heavy (saves 2 MiB revisions through the save path): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress

CASES = cases()


@pytest.fixture(scope="module")
def wiki_with_cases(database_template, tmp_path_factory):
    from wiki.search import worker

    work = tmp_path_factory.mktemp("diffbounds")
    url = fresh_database_url(database_template, work)
    app = make_app(url, work)
    editor = WikiClient(app.test_client())
    for n, (old, new, _theirs) in enumerate(CASES.values()):
        assert editor.edit(f"Pathological {n}", old).status_code == 303
        assert editor.edit(f"Pathological {n}", new).status_code == 303
    indexer = app.extensions["wiki.search.indexer"]
    indexer.stop(wait=60)
    with app.app_context():
        while worker.step(indexer.index):
            pass
    yield app
    close_app(app)


@pytest.mark.parametrize("n", range(len(CASES)), ids=list(CASES))
def test_pathological_diff_answers_within_a_second(wiki_with_cases, n):
    reader = anonymous(wiki_with_cases, "127.0.0.9").client
    with Timer() as took:  # the test client answers in this thread: its CPU is the request's
        resp = reader.get(f"/w/index.php?title=Pathological_{n}&diff=prev")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'class="diff-deletedline"' in html and 'class="diff-addedline"' in html
    assert took.within_bar(), f"{list(CASES)[n]}: {took}"
