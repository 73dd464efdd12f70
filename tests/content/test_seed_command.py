"""The seed command: idempotent, keeps user edits, updates untouched pages, reports bad files."""

from __future__ import annotations

from pathlib import Path

from wiki import seed as seeding
from wiki.extensions import db
from wiki.models import Revision

CONTENT = Path(__file__).resolve().parents[2] / "wiki" / "content"


def _seed(app, folder: Path = CONTENT) -> dict[str, str]:
    with app.app_context():
        return {r.title: r.outcome for r in seeding.seed_dir(folder)}


def test_seeding_twice_changes_nothing(app):
    assert set(_seed(app).values()) == {"created"}
    with app.app_context():
        count = db.session.query(Revision).count()
    assert set(_seed(app).values()) == {"unchanged"}
    with app.app_context():
        assert db.session.query(Revision).count() == count


def test_user_edit_survives_reseed(app, wiki, tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "Main_Page.wiki").write_text("Seeded main page.")
    assert _seed(app, folder) == {"Main Page": "created"}
    wiki.edit("Main Page", "A reader rewrote the main page.")
    (folder / "Main_Page.wiki").write_text("Changed seed text.")
    (folder / "New_seed_page.wiki").write_text("Brand new.")
    reports = _seed(app, folder)
    assert reports["Main Page"].startswith("kept")
    assert reports["New seed page"] == "created"
    raw = wiki.client.get("/w/index.php?title=Main_Page&action=raw").get_data(as_text=True)
    assert raw == "A reader rewrote the main page."


def test_changed_seed_file_updates_untouched_page(app, tmp_path, client):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "GPT-3.wiki").write_text("Original seed text for GPT-3.")
    assert _seed(app, folder) == {"GPT-3": "created"}
    (folder / "GPT-3.wiki").write_text("Updated seed text for GPT-3.")
    assert _seed(app, folder) == {"GPT-3": "updated"}
    assert client.get("/w/index.php?title=GPT-3&action=raw").get_data(as_text=True) == (
        "Updated seed text for GPT-3."
    )


def test_bad_files_are_reported_and_others_still_seed(app, tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "Bad[title.wiki").write_text("x")
    (folder / "Binary.wiki").write_bytes(b"\xff\xfe\x00bad")
    (folder / "Fine.wiki").write_text("fine")
    with app.app_context():
        reports = {r.file: r.outcome for r in seeding.seed_dir(folder)}
    assert reports["Bad[title.wiki"].startswith("error: invalid title")
    assert reports["Binary.wiki"].startswith("error: cannot read")
    assert reports["Fine.wiki"] == "created"
