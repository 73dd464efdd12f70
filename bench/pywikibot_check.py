"""Drive a running wiki with pywikibot (the other common bot framework), as bots do.

    pip install pywikibot==11.9.0      # in any virtualenv; this script needs nothing else of ours
    python bench/pywikibot_check.py --api http://127.0.0.1:8000/w/api.php --user U --password P

The account should be a sysop (move and delete are checked; files are uploaded, a new version too,
and downloaded with FilePage). Prints PASS/FAIL per check and
"N passed, M failed"; the exit status is 0 when nothing failed. Every run uses fresh titles.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import struct
import sys
import tempfile
import time
import traceback
import zlib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api", required=True, help="URL of api.php")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="pywikibot-")  # its caches, cookies and throttle files go here
    os.environ["PYWIKIBOT_NO_USER_CONFIG"] = "2"
    os.environ["PYWIKIBOT_DIR"] = work
    os.chdir(work)
    import pywikibot
    from pywikibot import config
    from pywikibot.family import AutoFamily
    from pywikibot.login import ClientLoginManager

    config.base_dir = work
    config.put_throttle = 0
    config.maxlag = 0
    config.usernames["checkwiki"] = {"checkwiki": args.user}
    family = AutoFamily("checkwiki", args.api)
    site = pywikibot.Site("checkwiki", family)
    run = time.strftime("%m%d%H%M%S")
    prefix = f"Pwb check {run}"
    results: list[tuple[str, bool, str]] = []

    def check(name, fn):
        try:
            note = fn() or ""
            results.append((name, True, note))
        except Exception as exc:  # report and go on with the next check
            results.append((name, False, f"{type(exc).__name__}: {exc}"))
            if os.environ.get("PWB_CHECK_VERBOSE"):
                traceback.print_exc()

    def login():
        ClientLoginManager(site=site, user=args.user, password=args.password).login()
        site.login()
        assert site.user() == args.user, site.user()
        assert site.has_right("edit")
        return f"logged in as {site.user()} on MediaWiki {site.version()}"

    page = pywikibot.Page(site, f"{prefix} Main")

    def create():
        assert not page.exists()
        page.text = f"Hello from pywikibot. [[{prefix} Linked]] {{{{{prefix} Box}}}} [[Category:{prefix}]]"
        page.save(summary="pywikibot create")
        again = pywikibot.Page(site, page.title())
        assert again.exists() and again.text == page.text, again.text
        return f"revision {again.latest_revision_id}"

    def edit_and_history():
        time.sleep(1.1)
        page.text += "\n\nSecond paragraph."
        page.save(summary="pywikibot edit", minor=True)
        comments = [r.comment for r in pywikibot.Page(site, page.title()).revisions()]
        assert comments == ["pywikibot edit", "pywikibot create"], comments

    def links_and_categories():
        fresh = pywikibot.Page(site, page.title())
        assert [c.title() for c in fresh.categories()] == [f"Category:{prefix}"]
        # A missing template is also a (red) link, as in MediaWiki.
        linked = [p.title() for p in fresh.linkedPages()]
        assert linked == [f"{prefix} Linked", f"Template:{prefix} Box"], linked
        assert [t.title() for t in fresh.templates()] == [f"Template:{prefix} Box"]
        members = list(pywikibot.Category(site, f"Category:{prefix}").articles())
        assert [m.title() for m in members] == [page.title()]

    def lists():
        assert [p.title() for p in site.allpages(prefix=f"{prefix} ")] == [page.title()]
        assert page.title() in [p.title() for p in site.search(prefix, total=10)]
        assert page.title() in [c["title"] for c in site.recentchanges(total=20)]
        target = pywikibot.Page(site, f"{prefix} Linked")
        assert [p.title() for p in target.backlinks()] == [page.title()]

    def redirect():
        source = pywikibot.Page(site, f"{prefix} Redirect")
        source.text = f"#REDIRECT [[{page.title()}]]"
        source.save(summary="redirect")
        source = pywikibot.Page(site, source.title())
        assert source.isRedirectPage() and source.getRedirectTarget().title() == page.title()

    def move_and_delete():
        moved = page.move(f"{prefix} Moved", summary="pywikibot move")
        assert moved.title() == f"{prefix} Moved" and moved.exists()
        assert pywikibot.Page(site, page.title()).isRedirectPage()
        doomed = pywikibot.Page(site, f"{prefix} Doomed")
        doomed.text = "delete me"
        doomed.save(summary="doomed")
        doomed.delete(summary="pywikibot delete", prompt=False)
        assert not pywikibot.Page(site, doomed.title()).exists()

    image_bytes = _png(300, 200, (30, 140, 220))

    def upload_file():
        path = os.path.join(work, "upload.png")
        with open(path, "wb") as handle:
            handle.write(image_bytes)
        image = pywikibot.FilePage(site, f"File:{prefix} Picture.png")
        assert image.upload(path, comment="pywikibot upload", text="A picture. [[Category:Pictures]]")
        info = pywikibot.FilePage(site, image.title()).latest_file_info
        assert (info.width, info.height, info.size) == (300, 200, len(image_bytes)), info
        assert info.mime == "image/png" and info.sha1 == hashlib.sha1(image_bytes).hexdigest(), info
        return f"{info.url}"

    def file_uses_and_download():
        image = pywikibot.FilePage(site, f"File:{prefix} Picture.png")
        shower = pywikibot.Page(site, f"{prefix} Gallery")
        shower.text = f"[[{image.title()}|thumb|A caption]]"
        shower.save(summary="shows the picture")
        assert [i.title() for i in pywikibot.Page(site, shower.title()).imagelinks()] == [image.title()]
        assert [p.title() for p in image.using_pages()] == [shower.title()]
        thumb = image.get_file_url(url_width=120)
        assert "/thumb/" in thumb and "120px-" in thumb, thumb
        out = os.path.join(work, "download.png")
        assert image.download(out)
        with open(out, "rb") as handle:
            assert handle.read() == image_bytes
        return thumb

    def new_version():
        image = pywikibot.FilePage(site, f"File:{prefix} Picture.png")
        path = os.path.join(work, "second.png")
        second = _png(120, 80, (200, 60, 10))
        with open(path, "wb") as handle:
            handle.write(second)
        assert image.upload(path, comment="second version", ignore_warnings=True)
        fresh = pywikibot.FilePage(site, image.title())
        history = fresh.get_file_history()
        assert len(history) == 2, history
        assert (fresh.latest_file_info.width, fresh.latest_file_info.height) == (120, 80)

    for name, fn in [
        ("login", login),
        ("create", create),
        ("edit_and_history", edit_and_history),
        ("links_and_categories", links_and_categories),
        ("lists", lists),
        ("redirect", redirect),
        ("move_and_delete", move_and_delete),
        ("upload_file", upload_file),
        ("file_uses_and_download", file_uses_and_download),
        ("new_version", new_version),
    ]:
        check(name, fn)
    for name, ok, note in results:
        print(f"{'PASS' if ok else 'FAIL'} {name}: {note}")
    failed = sum(1 for _n, ok, _note in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG made with the standard library (this script's virtualenv has no Pillow)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    sys.exit(main())
