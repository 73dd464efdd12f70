"""The structure table follows every change of page state, and bad input stays harmless: saves,
moves and deletions through HTTP; genus cycles; shared aliases; future and malformed dates;
thousands of children (bulk-loaded, then `flask rebuild-structure`)."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import datetime

import pytest
from sqlalchemy import func, insert

from tests.api.helpers import ApiClient
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient
from tests.security.conftest import logged_in, make_account
from wiki.extensions import db
from wiki.models import ConceptAlias, ConceptStructure, Page, Revision

CHILDREN = 1_200


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("concepts_writes")
    app = make_app(fresh_database_url(database_template, work), work)
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def wiki(app):
    return WikiClient(app.test_client())


def row(app, title):
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.namespace == 0, Page.title == title))
        if page is None:
            return None
        return db.session.get(ConceptStructure, page.id)


def save(wiki, title, text):
    resp = wiki.edit(title, text)
    assert resp.status_code in (302, 303), resp.status_code


def test_a_save_stores_the_structure_and_an_edit_replaces_it(app, wiki):
    save(wiki, "Widget", "A [[Widget]] is a [[Gadget]] that turns.\n* <B>AKA:</B> Whirligig, Spinner 2.\n")
    stored = row(app, "Widget")
    assert (
        stored.is_concept
        and stored.genus == "Gadget"
        and stored.sentence == "A Widget is a Gadget that turns."
    )
    save(wiki, "Widget", "Just some prose now.")
    stored = row(app, "Widget")
    assert not stored.is_concept and stored.genus is None
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).where(ConceptAlias.name == "Whirligig")) == 0


def test_go_on_an_alias_follows_the_latest_text(app, wiki):
    save(wiki, "Sprocket", "A [[Sprocket]] is a [[Gadget]].\n* <B>AKA:</B> Cog Wheel 9.\n")
    go = wiki.client.get("/w/index.php", query_string={"title": "Special:Search", "search": "cogwheel9"})
    assert go.status_code == 302 and "title=Sprocket" in go.headers["Location"]


def test_a_shared_alias_never_picks_one_silently(app, wiki):
    save(wiki, "Alpha thing", "An [[Alpha thing]] is a [[Gadget]].\n* <B>AKA:</B> Shared Name.\n")
    save(wiki, "Beta thing", "A [[Beta thing]] is a [[Gadget]].\n* <B>AKA:</B> shared-name.\n")
    resp = wiki.client.get("/w/index.php", query_string={"title": "Special:Search", "search": "Shared name"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'href="/wiki/Alpha_thing"' in html and 'href="/wiki/Beta_thing"' in html


def test_a_genus_cycle_ends_the_chain(app, wiki):
    save(wiki, "Chicken", "A [[Chicken]] is an [[Egg]].\n")
    save(wiki, "Egg", "An [[Egg]] is a [[Chicken]].\n")
    html = wiki.view("Chicken").get_data(as_text=True)
    broader = html.split('class="concept-broader"', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'title="([^"]+)"', broader) == ["Egg", "Chicken"] and "cycle" in broader
    tree = wiki.client.get("/wiki/Special:ConceptTree/Chicken")
    assert tree.status_code == 200 and "(cycle)" in tree.get_data(as_text=True)


def test_a_missing_genus_is_red_and_listed_on_special_concepts(app, wiki):
    html = wiki.view("Widget").get_data(as_text=True)  # prose now: no box
    assert 'id="concept-box"' not in html
    html = wiki.view("Sprocket").get_data(as_text=True)
    assert re.search(r'class="new" title="Gadget \(page does not exist\)"', html)
    roots = wiki.client.get("/wiki/Special:Concepts").get_data(as_text=True)
    assert 'href="/wiki/Sprocket"' in roots and "Gadget</a> has no page" in roots


def test_future_and_malformed_dates(app, wiki):
    save(
        wiki,
        "Odd timeline",
        "An [[Odd timeline]] is a [[Gadget]].\n* <B>Examples:</B>\n"
        "** [[Past one]] (~2019 AD).\n** [[Far future]] (2990).\n** [[Bad date]] (20x9).\n"
        "** [[Old one]] (2016-2014).\n<timeline/>\n",
    )
    resp = wiki.client.get("/wiki/Special:Timeline/Odd_timeline")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    listed = re.findall(r'<time datetime="(\d+)">', html)
    assert listed == ["2016", "2019", "2990"]
    assert "Far future</a> (a date in the future)" in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Past one" in svg and "Far future" not in svg and "Bad date" not in html


def test_delete_and_move_keep_the_table_right(app, wiki):
    make_account(app, "Conceptadmin", "sysop")
    api = ApiClient(logged_in(app, "Conceptadmin").client)
    save(wiki, "Doomed", "A [[Doomed]] is a [[Gadget]].\n* <B>AKA:</B> Gone Soon.\n")
    assert row(app, "Doomed").is_concept
    assert "delete" in api.post(action="delete", title="Doomed", reason="test", token=api.token())
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).where(ConceptAlias.name == "Gone Soon")) == 0
    go = wiki.client.get("/w/index.php", query_string={"title": "Special:Search", "search": "gone soon"})
    assert go.status_code != 302
    save(wiki, "Mover", "A [[Mover]] is a [[Gadget]].\n")
    assert "move" in api.post(action="move", **{"from": "Mover"}, to="Moved concept", token=api.token())
    moved = row(app, "Moved_concept")
    assert moved is not None and moved.is_concept
    go = wiki.client.get("/w/index.php", query_string={"title": "Special:Search", "search": "movedconcept"})
    assert go.status_code == 302 and go.headers["Location"].endswith("/wiki/Moved_concept")


def _bulk(app, texts: dict[str, str]) -> None:
    stamp = datetime(2026, 1, 1)
    with app.app_context():
        start = (db.session.scalar(db.select(func.max(Page.id))) or 0) + 1
        rev_start = (db.session.scalar(db.select(func.max(Revision.id))) or 0) + 1
        pages, revs = [], []
        for n, (title, text) in enumerate(texts.items()):
            data = text.encode()
            pages.append(
                dict(
                    id=start + n,
                    namespace=0,
                    title=title,
                    latest=rev_start + n,
                    is_redirect=False,
                    length=len(data),
                    touched=stamp,
                    created=stamp,
                )
            )
            revs.append(
                dict(
                    id=rev_start + n,
                    page_id=start + n,
                    parent_id=None,
                    text=text,
                    sha1=hashlib.sha1(data).hexdigest(),
                    size=len(data),
                    comment="",
                    user_text="127.0.0.1",
                    timestamp=stamp,
                    minor=False,
                )
            )
        db.session.execute(insert(Page), pages)
        db.session.execute(insert(Revision), revs)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("page", "revision"):
                db.session.execute(db.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
            db.session.commit()


def test_thousands_of_children_are_bounded(app, wiki):
    texts = {f"Child_{n:05d}": f"A [[Child {n:05d}]] is a [[Big parent]].\n" for n in range(CHILDREN)}
    texts["Big_parent"] = "A [[Big parent]] is a [[Gadget]].\n"
    _bulk(app, texts)
    result = app.test_cli_runner().invoke(args=["rebuild-structure"])
    assert result.exit_code == 0 and "Concept structure rebuilt" in result.output
    html = wiki.view("Big_parent").get_data(as_text=True)
    narrower = html.split('class="concept-narrower"', 1)[1].split("</p>", 1)[0]
    assert len(re.findall(r'href="/wiki/Child_', narrower)) == 20 and ">more</a>" in narrower
    started = time.perf_counter()
    resp = wiki.client.get("/wiki/Special:ConceptTree/Big_parent")
    took = time.perf_counter() - started
    tree = resp.get_data(as_text=True)
    assert resp.status_code == 200 and took < 5
    assert len(re.findall(r'href="/wiki/Child_', tree)) == 500 and "more under Big parent" in tree


def test_a_new_child_touches_its_genus_page(app, wiki):
    save(wiki, "Parent concept", "A [[Parent concept]] is a [[Gadget]].\n")
    with app.app_context():
        before = db.session.scalar(db.select(Page.touched).where(Page.title == "Parent_concept"))
    time.sleep(0.01)
    save(wiki, "Child concept", "A [[Child concept]] is a [[parent concept]].\n")
    with app.app_context():
        after = db.session.scalar(db.select(Page.touched).where(Page.title == "Parent_concept"))
    assert after > before
    html = wiki.view("Parent_concept").get_data(as_text=True)
    assert 'href="/wiki/Child_concept"' in html.split('class="concept-narrower"', 1)[1]
