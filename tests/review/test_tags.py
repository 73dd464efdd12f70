"""User-defined change tags: managetags, tags= on edit, action=tag, list=tags."""

from __future__ import annotations

from tests.review.helpers import api_client


def test_user_defined_tags_lifecycle(app):
    admin, editor = api_client(app, "Tagadmin", "sysop"), api_client(app, "Tageditor")
    created = admin.post(
        action="managetags", operation="create", tag="reviewed", reason="r", token=admin.token()
    )
    assert created["managetags"]["operation"] == "create" and created["managetags"]["logid"] > 0
    dup = admin.post(action="managetags", operation="create", tag="reviewed", token=admin.token())
    assert dup["error"]["code"] == "tags-create-already-exists"
    bad = admin.post(action="managetags", operation="create", tag="a|b", token=admin.token())
    assert bad["error"]["code"] == "tags-create-invalid-chars"
    assert (
        editor.post(action="managetags", operation="create", tag="x1", token=editor.token())["error"]["code"]
        == "permissiondenied"
    )

    rev = editor.edit("Tagged by hand", "text", tags="reviewed")["edit"]["newrevid"]
    refused = editor.edit("Tagged by hand", "text 2", tags="nosuchtag")
    assert refused["error"]["code"] == "badtags" and refused["error"]["disallowedtags"] == ["nosuchtag"]
    second = editor.edit("Tagged by hand", "text 3")["edit"]["newrevid"]
    done = editor.post(action="tag", revid=second, add="reviewed", reason="x", token=editor.token())
    assert done["tag"][0]["status"] == "success" and done["tag"][0]["added"] == ["reviewed"]
    noop = editor.post(action="tag", revid=second, add="reviewed", token=editor.token())
    assert "noop" in noop["tag"][0]
    listed = admin.get(action="query", list="tags", tgprop="hitcount|source|active|displayname", tglimit=500)
    by_name = {t["name"]: t for t in listed["query"]["tags"]}
    assert by_name["reviewed"]["hitcount"] == 2 and by_name["reviewed"]["source"] == ["manual"]
    assert by_name["mw-rollback"]["displayname"] == "Rollback"
    assert rev
    off = admin.post(action="managetags", operation="deactivate", tag="reviewed", token=admin.token())
    assert off["managetags"]["operation"] == "deactivate"
    assert editor.edit("Tagged by hand", "text 4", tags="reviewed")["error"]["code"] == "badtags"
    gone = admin.post(action="managetags", operation="delete", tag="reviewed", token=admin.token())
    assert "managetags" in gone
    listed = admin.get(action="query", list="tags", tglimit=500)["query"]["tags"]
    assert "reviewed" not in [t["name"] for t in listed]
    assert (
        admin.post(action="managetags", operation="delete", tag="mw-undo", token=admin.token())["error"][
            "code"
        ]
        == "tags-delete-not-allowed"
    )


def test_undo_through_the_api_is_tagged(app):
    editor = api_client(app, "Undoer")
    editor.edit("Undone page", "one")
    second = editor.edit("Undone page", "one two")["edit"]["newrevid"]
    undone = editor.post(action="edit", title="Undone page", undo=second, token=editor.token())
    undone = undone["edit"]["newrevid"]
    from sqlalchemy import select

    from wiki.extensions import db
    from wiki.models import ChangeTag

    with app.app_context():
        found = db.session.scalars(select(ChangeTag.tag).where(ChangeTag.rev_id == undone))
        assert list(found) == ["mw-undo"]


def test_revision_tags_are_read_back_by_prop_revisions(app):
    admin, editor = api_client(app, "Tagreader", "sysop"), api_client(app, "Tagwriter")
    admin.post(action="managetags", operation="create", tag="checked", token=admin.token())
    first = editor.edit("Tags read back", "one")["edit"]["newrevid"]
    second = editor.edit("Tags read back", "two", tags="checked")["edit"]["newrevid"]
    editor.post(action="tag", revid=first, add="checked", token=editor.token())

    def tags_of(**params) -> dict[int, list[str]]:
        pages = editor.get(action="query", prop="revisions", rvprop="ids|tags", **params)["query"]["pages"]
        return {r["revid"]: r["tags"] for page in pages.values() for r in page["revisions"]}

    assert tags_of(revids=f"{first}|{second}") == {first: ["checked"], second: ["checked"]}
    editor.post(action="tag", revid=first, remove="checked", token=editor.token())
    assert tags_of(titles="Tags read back", rvlimit=5) == {first: [], second: ["checked"]}
    assert tags_of(titles="Tags read back") == {second: ["checked"]}
