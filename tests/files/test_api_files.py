"""The files API through HTTP, its replies shaped as MediaWiki 1.39's (checked against a real one):
action=upload with its warnings and errors, filekeys, filerevert, imageinfo with history and
thumbnails, allimages paging, duplicatefiles."""

from __future__ import annotations

import io

import pytest

from tests.files import images


class Api:
    def __init__(self, client) -> None:
        self.client = client
        self.token = client.get("/w/api.php?action=query&meta=tokens&format=json").get_json()["query"][
            "tokens"
        ]["csrftoken"]

    def upload(self, data: bytes | None = None, **params):
        form = {"action": "upload", "format": "json", "token": self.token, **params}
        if data is not None:
            form["file"] = (io.BytesIO(data), "upload.bin")
        return self.client.post("/w/api.php", data=form, content_type="multipart/form-data").get_json()

    def get(self, **params):
        return self.client.get(
            "/w/api.php", query_string={"format": "json", "formatversion": "2", **params}
        ).get_json()


@pytest.fixture(scope="module")
def api(uploader) -> Api:
    return Api(uploader.client)


def test_upload_success_warnings_and_filekey(api):
    done = api.upload(images.png(40, 30), filename="Api probe.png", comment="probe", text="Probe text")
    info = done["upload"]
    assert info["result"] == "Success" and info["filename"] == "Api_probe.png"
    assert info["imageinfo"]["width"] == 40 and info["imageinfo"]["mime"] == "image/png"
    assert "/w/index.php?curid=" in info["imageinfo"]["descriptionshorturl"]
    same = api.upload(images.png(40, 30), filename="Api probe.png", comment="again")["upload"]
    assert same["result"] == "Warning"
    assert same["warnings"]["exists"] == "Api_probe.png" and "timestamp" in same["warnings"]["nochange"]
    dup = api.upload(images.png(40, 30), filename="Api probe copy.png", comment="dup")["upload"]
    assert dup == {
        "result": "Warning",
        "warnings": {"duplicate": ["Api_probe.png"]},
        "filekey": dup["filekey"],
        "sessionkey": dup["filekey"],
    }
    kept = api.upload(
        filename="Api probe copy.png", filekey=dup["filekey"], ignorewarnings="1", comment="kept"
    )
    assert kept["upload"]["result"] == "Success" and kept["upload"]["warnings"] == {
        "duplicate": ["Api_probe.png"]
    }
    gone = api.upload(filename="Api probe copy.png", filekey=dup["filekey"], ignorewarnings="1")
    assert gone["error"]["code"] == "stashnosuchfilekey"
    no_change = api.upload(images.png(40, 30), filename="Api probe.png", ignorewarnings="1")
    assert no_change["error"]["code"] == "fileexists-no-change"


@pytest.mark.parametrize(
    ("data", "filename", "code", "details"),
    [
        (images.HOSTILE_SVG["script"], "Api evil.svg", "verification-error", ["uploadscripted"]),
        (images.gif_html_polyglot(), "Api poly.gif", "verification-error", ["uploadscripted"]),
        (images.png(), "Api liar.jpg", "verification-error", ["filetype-mime-mismatch", "jpg", "image/png"]),
        (b"", "Api empty.png", "empty-file", None),
        (b"MZ\x90\x00", "Api tool.exe", "filetype-banned", None),
        (images.png(), "Api/slash.png", "illegal-filename", None),
    ],
)
def test_refused_uploads_answer_mediawikis_errors(api, data, filename, code, details):
    answer = api.upload(data, filename=filename)
    assert answer["error"]["code"] == code, answer
    if details:
        assert answer["error"]["details"] == details
    assert api.get(action="query", list="allimages", aiprefix=filename.split()[0])["query"][
        "allimages"
    ] == [] or (
        filename.replace(" ", "_") not in str(api.get(action="query", list="allimages", ailimit="max"))
    )


def test_upload_needs_a_login_a_token_and_a_file(files_app, api):
    anonymous = Api(files_app.test_client())
    answer = anonymous.upload(images.png(), filename="A.png")
    assert answer["error"]["code"] == "mustbeloggedin"
    assert api.upload(images.png(), filename="B.png", token="bad")["error"]["code"] == "badtoken"
    assert api.upload(filename="C.png")["error"]["code"] == "missingparam"
    assert (
        api.upload(filename="C.png", url="http://example.org/x.png")["error"]["code"] == "copyuploaddisabled"
    )


def test_imageinfo_history_thumbnails_and_revert(api):
    api.upload(images.png(60, 30, (1, 1, 1)), filename="History.png", comment="first")
    api.upload(images.png(80, 40, (2, 2, 2)), filename="History.png", comment="second", ignorewarnings="1")
    answer = api.get(
        action="query",
        titles="File:History.png",
        prop="imageinfo",
        iiprop="timestamp|user|comment|url|size|sha1|mime|mediatype|archivename",
        iiurlwidth="20",
    )
    page = answer["query"]["pages"][0]
    assert page["imagerepository"] == "local"
    (current,) = page["imageinfo"]
    assert current["width"] == 80 and current["comment"] == "second"
    assert current["thumburl"].endswith("/20px-History.png") and current["thumbheight"] == 10
    assert "iistart" in answer["continue"]
    both = api.get(
        action="query", titles="File:History.png", prop="imageinfo", iiprop="comment|archivename", iilimit="5"
    )["query"]["pages"][0]["imageinfo"]
    assert [v["comment"] for v in both] == ["second", "first"] and "archivename" in both[1]
    reverted = api.client.post(
        "/w/api.php",
        data={
            "action": "filerevert",
            "format": "json",
            "filename": "History.png",
            "archivename": both[1]["archivename"],
            "token": api.token,
        },
    ).get_json()
    assert reverted == {"filerevert": {"result": "Success"}}
    now = api.get(action="query", titles="File:History.png", prop="imageinfo", iiprop="size")
    assert now["query"]["pages"][0]["imageinfo"][0]["width"] == 60
    bad = api.client.post(
        "/w/api.php",
        data={
            "action": "filerevert",
            "format": "json",
            "filename": "History.png",
            "archivename": "20000101000000!History.png",
            "token": api.token,
        },
    ).get_json()
    assert bad["error"]["code"] == "filerevert-badversion"


def test_allimages_pages_by_name_and_duplicatefiles(api):
    for n in range(3):
        api.upload(images.png(9, 9, (n, 50, 50)), filename=f"Paged {n}.png", comment="p")
    api.upload(images.png(9, 9, (0, 50, 50)), filename="Paged copy.png", ignorewarnings="1")
    first = api.get(action="query", list="allimages", aiprefix="Paged", ailimit="2")
    assert [i["name"] for i in first["query"]["allimages"]] == ["Paged_0.png", "Paged_1.png"]
    rest = api.get(action="query", list="allimages", aiprefix="Paged", ailimit="2", **first["continue"])
    assert [i["name"] for i in rest["query"]["allimages"]] == ["Paged_2.png", "Paged_copy.png"]
    dups = api.get(action="query", titles="File:Paged 0.png", prop="duplicatefiles")["query"]["pages"][0]
    assert [d["name"] for d in dups["duplicatefiles"]] == ["Paged_copy.png"]
    missing = api.get(action="query", titles="File:Never uploaded.png", prop="imageinfo")["query"]["pages"][0]
    assert missing["missing"] is True and missing["imagerepository"] == ""
