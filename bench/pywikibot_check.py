"""Drive a running wiki with pywikibot (the other common bot framework), as bots do.

    pip install pywikibot==11.9.0      # in any virtualenv; this script needs nothing else of ours
    python bench/pywikibot_check.py --api http://127.0.0.1:8000/w/api.php --user U --password P

The account should be a sysop (move and delete are checked). Prints PASS/FAIL per check and
"N passed, M failed"; the exit status is 0 when nothing failed. Every run uses fresh titles.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback


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

    for name, fn in [
        ("login", login),
        ("create", create),
        ("edit_and_history", edit_and_history),
        ("links_and_categories", links_and_categories),
        ("lists", lists),
        ("redirect", redirect),
        ("move_and_delete", move_and_delete),
    ]:
        check(name, fn)
    for name, ok, note in results:
        print(f"{'PASS' if ok else 'FAIL'} {name}: {note}")
    failed = sum(1 for _n, ok, _note in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
