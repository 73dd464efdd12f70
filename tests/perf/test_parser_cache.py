"""The parser cache: reused while fresh, ignored when the renderer version differs."""

from __future__ import annotations

from sqlalchemy import update


def _set_cache(app, **values) -> None:
    from wiki.extensions import db
    from wiki.models import ParserCache

    with app.app_context():
        db.session.execute(update(ParserCache).values(**values))
        db.session.commit()


def test_a_fresh_cache_entry_is_served_without_rendering(app, wiki):
    wiki.edit("Cached text", "The rendered words.")
    _set_cache(app, html="<p>FROM THE CACHE</p>")
    assert "FROM THE CACHE" in wiki.view("Cached text").get_data(as_text=True)


def test_html_of_another_renderer_version_is_rendered_again(app, wiki):
    wiki.edit("Versioned", "The rendered words.")
    _set_cache(app, html="<p>OLD RENDERER</p>", render_version="0-old")
    html = wiki.view("Versioned").get_data(as_text=True)
    assert "OLD RENDERER" not in html and "The rendered words." in html


def test_the_renderer_version_follows_the_renderer_source():
    from wiki.pages import parsercache

    assert parsercache.RENDER_VERSION.startswith("1-") and len(parsercache.RENDER_VERSION) <= 32


def test_the_renderer_version_is_a_digest_of_the_markup_package():
    import hashlib
    from pathlib import Path

    import wiki.markup
    import wiki.taghooks
    from wiki.pages import parsercache

    digest = hashlib.sha1()
    for package in (wiki.markup, wiki.taghooks):  # the renderer and the tag hooks the wiki gives it
        for path in sorted(Path(package.__file__).parent.rglob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    assert parsercache.RENDER_VERSION == "1-" + digest.hexdigest()[:10]
