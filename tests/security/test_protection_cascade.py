"""Issue 15, item 8: `cascade=1` was silently ignored, so a page protected with cascade was defaced
by editing the template it transcludes. Transcluded pages and files inherit the edit protection,
their edit forms say why (listing the protecting pages), prop=info lists the sources, and the API
echoes `cascade`; cascading needs edit protection at the sysop level."""

from __future__ import annotations

from tests.api.helpers import ApiClient

from .protecting import api as _api
from .protecting import info as _info
from .protecting import protect_form


def _cascade_protected_main(sysop, member) -> ApiClient:
    newcomer = _api(member)
    assert newcomer.edit("Template:Notice", "Be nice.")["edit"]["result"] == "Success"
    assert newcomer.edit("File:Logo.png", "Our logo.")["edit"]["result"] == "Success"
    admin = _api(sysop)
    admin.edit("Main Page", "{{Notice}} {{Not yet written}} [[File:Logo.png|thumb]]")
    done = admin.post(
        action="protect",
        title="Main Page",
        protections="edit=sysop|move=sysop",
        cascade="1",
        token=admin.token(),
    )["protect"]
    assert done["cascade"] == ""  # formatversion 1: true is an empty string
    return admin


def test_template_of_a_cascade_protected_page_cannot_be_defaced(sysop, member, anon):
    _cascade_protected_main(sysop, member)
    newcomer = _api(member)

    refused = newcomer.edit("Template:Notice", "DEFACED")

    assert refused["error"]["code"] == "cascadeprotected"
    assert "Main Page" in refused["error"]["info"]
    assert _api(anon).edit("Template:Notice", "DEFACED")["error"]["code"] == "cascadeprotected"
    assert newcomer.edit("File:Logo.png", "DEFACED")["error"]["code"] == "cascadeprotected"
    # A template not written yet cannot be created under the protected page either.
    assert newcomer.edit("Template:Not yet written", "DEFACED")["error"]["code"] == "cascadeprotected"
    moved = newcomer.post(
        action="move", **{"from": "Template:Notice"}, to="Template:Gone", token=newcomer.token()
    )
    assert moved["error"]["code"] == "cascadeprotected"
    assert "DEFACED" not in member.view("Main_Page").get_data(as_text=True)


def test_cascade_reaches_the_files_a_page_shows_not_those_it_links_to(sysop, member):
    # MediaWiki keeps a shown file in imagelinks only, and cascades through imagelinks, not pagelinks.
    newcomer = _api(member)
    for name in ("File:Shown.png", "File:In gallery.png", "File:Mentioned.png"):
        assert newcomer.edit(name, "A file page.")["edit"]["result"] == "Success"
    admin = _api(sysop)
    gallery = "<gallery>\nIn gallery.png\n</gallery>"
    admin.edit("Showcase", f"[[File:Shown.png|thumb|see [[Elsewhere]]]] [[:File:Mentioned.png]]\n{gallery}")
    found = admin.get(action="query", titles="Showcase", prop="links|images")["query"]["pages"]
    page = next(iter(found.values()))
    assert [link["title"] for link in page["links"]] == ["Elsewhere", "File:Mentioned.png"]
    assert [image["title"] for image in page["images"]] == ["File:In gallery.png", "File:Shown.png"]
    usage = sysop.client.get("/wiki/Special:WhatLinksHere/File:Shown.png").get_data(as_text=True)
    assert 'title="Showcase">Showcase</a> (file link)' in usage
    backlinks = admin.get(action="query", list="backlinks", bltitle="File:Shown.png")["query"]["backlinks"]
    assert backlinks == []

    admin.post(action="protect", title="Showcase", protections="edit=sysop", cascade="1", token=admin.token())

    assert newcomer.edit("File:Shown.png", "DEFACED")["error"]["code"] == "cascadeprotected"
    assert newcomer.edit("File:In gallery.png", "DEFACED")["error"]["code"] == "cascadeprotected"
    assert newcomer.edit("File:Mentioned.png", "Still editable.")["edit"]["result"] == "Success"
    assert _info(admin, "File:Shown.png")["protection"][0]["source"] == "Showcase"


def test_edit_forms_name_the_cascade_protected_pages(sysop, member):
    _cascade_protected_main(sysop, member)

    form = member.client.get("/w/index.php?title=Template:Notice&action=edit")

    assert form.status_code == 403
    html = form.get_data(as_text=True)
    assert "View source for Template:Notice" in html
    assert 'id="mw-cascadeprotected-sources"' in html and 'href="/wiki/Main_Page"' in html
    # An administrator may edit, and is warned why the page is protected.
    editing = sysop.client.get("/w/index.php?title=Template:Notice&action=edit")
    assert editing.status_code == 200
    assert 'id="mw-cascadeprotected-notice"' in editing.get_data(as_text=True)
    assert sysop.edit("Template:Notice", "Be very nice.").status_code in (302, 303)


def test_prop_info_lists_the_cascade_and_its_sources(sysop, member):
    admin = _cascade_protected_main(sysop, member)

    main = _info(admin, "Main Page")["protection"]
    notice = _info(admin, "Template:Notice")["protection"]
    missing = _info(admin, "Template:Not yet written")["protection"]

    assert {"type": "edit", "level": "sysop", "expiry": "infinity", "cascade": ""} in main
    assert {"type": "move", "level": "sysop", "expiry": "infinity"} in main
    assert notice == [{"type": "edit", "level": "sysop", "expiry": "infinity", "source": "Main Page"}]
    assert missing == notice
    v2 = ApiClient(sysop.client, formatversion=2)
    assert (
        v2.get(action="query", titles="Main Page", prop="info", inprop="protection")["query"]["pages"][0][
            "protection"
        ][0]["cascade"]
        is True
    )


def test_lifting_the_cascade_frees_the_template(sysop, member):
    admin = _cascade_protected_main(sysop, member)
    done = admin.post(
        action="protect", title="Main Page", protections="edit=sysop|move=sysop", token=admin.token()
    )
    assert "cascade" not in done["protect"]
    assert _api(member).edit("Template:Notice", "Be kind.")["edit"]["result"] == "Success"


def test_cascade_needs_edit_protection_for_administrators(sysop, member):
    admin = _api(sysop)
    admin.edit("Semi page", "{{Notice}}")

    refused = admin.post(
        action="protect",
        title="Semi page",
        protections="edit=autoconfirmed",
        cascade="1",
        token=admin.token(),
    )

    assert refused["error"]["code"] == "invalidcascade"
    assert "administrators" in refused["error"]["info"]
    assert _info(admin, "Semi page")["protection"] == []
    semi = {"mwProtect-level-edit": "autoconfirmed", "mwProtect-cascade": "1"}
    posted = protect_form(sysop, "Semi page", **semi)
    assert posted.status_code == 400
    assert "Cascading protection needs" in posted.get_data(as_text=True)
    assert _info(admin, "Semi page")["protection"] == []


def test_cascade_through_the_protect_form(sysop, member):
    _api(member).edit("Template:Footer", "Footer.")
    admin = _api(sysop)
    admin.edit("Front", "{{Footer}}")
    posted = protect_form(sysop, "Front", **{"mwProtect-level-edit": "sysop", "mwProtect-cascade": "1"})
    assert posted.status_code == 200
    assert _api(member).edit("Template:Footer", "DEFACED")["error"]["code"] == "cascadeprotected"
    log = admin.get(action="query", list="logevents", letype="protect", letitle="Front")["query"]["logevents"]
    assert log[0]["params"]["cascade"] == ""
    assert "[cascading]" in sysop.client.get("/wiki/Special:Log/protect").get_data(as_text=True)
