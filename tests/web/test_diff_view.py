"""The diff view through HTTP: MediaWiki's diff=0 (the current revision)."""

from __future__ import annotations

import re


def _revision_ids(client, title: str) -> list[int]:
    html = client.get(f"/w/index.php?title={title}&action=history").get_data(as_text=True)
    return [int(i) for i in re.findall(r'<li data-mw-revid="(\d+)">', html)]


def _diff_heads(html: str) -> list[int]:
    """The two revision ids the diff table compares (old, new)."""
    return [int(i) for i in re.findall(r'<strong><a href="[^"]*oldid=(\d+)">Revision as of', html)]


def test_diff_zero_is_the_current_revision_against_its_parent(wiki):
    for text in ("alpha one", "alpha two", "alpha three"):
        assert wiki.edit("Diffzero", text).status_code == 303
    latest, middle, first = _revision_ids(wiki.client, "Diffzero")
    resp = wiki.client.get("/w/index.php?title=Diffzero&diff=0")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert _diff_heads(html) == [middle, latest]
    assert '<del class="diffchange diffchange-inline">two</del>' in html
    assert '<ins class="diffchange diffchange-inline">three</ins>' in html


def test_oldid_with_diff_zero_compares_with_the_current_revision(wiki):
    for text in ("beta one", "beta two", "beta three"):
        assert wiki.edit("Diffzero", text).status_code == 303
    latest, _middle, first = _revision_ids(wiki.client, "Diffzero")
    html = wiki.client.get(f"/w/index.php?title=Diffzero&oldid={first}&diff=0").get_data(as_text=True)
    assert _diff_heads(html) == [first, latest]
    assert '<del class="diffchange diffchange-inline">one</del>' in html
    assert '<ins class="diffchange diffchange-inline">three</ins>' in html
    # The same through the pretty URL.
    same = wiki.client.get(f"/wiki/Diffzero?oldid={first}&diff=0").get_data(as_text=True)
    assert _diff_heads(same) == [first, latest]


def test_diff_zero_of_a_missing_page_is_404(wiki):
    assert wiki.client.get("/w/index.php?title=Never_written&diff=0").status_code == 404
