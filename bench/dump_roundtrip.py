"""XML dump round trip with the real MediaWiki 1.39 of ../shared/tools/mediawiki (run as root).

1. our wiki -> MediaWiki: pages with several revisions (accounts, an IP, minor edits, summaries
   and texts with markup characters, unicode, a talk page, a template, a redirect) are saved in a
   fresh wiki of ours, exported with `flask export-dump --full-history`, imported into MediaWiki
   with importDump.php; MediaWiki's own dumpBackup.php --full of those pages must then show every
   revision with the same text, timestamp, contributor, summary and minor flag, and getText.php
   the same current texts.
2. MediaWiki -> our wiki: that dumpBackup.php output is imported with `flask import-dump` into
   another fresh wiki of ours; every revision must again be identical.
3. The whole MediaWiki wiki (dumpBackup.php --full: its Main Page, whatever others made there)
   is imported into a fresh wiki of ours and exported again: every revision identical.

    .venv/bin/python bench/dump_roundtrip.py [--fixture tests/fixtures/mediawiki_dump.xml] [--prefix P]

With --fixture, MediaWiki's dump is also written there (the test fixture is made this way, with
--prefix "Dump fixture", whose timestamps are fixed so the fixture is reproducible).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MW = Path("/usr/share/mediawiki/maintenance")
MW_SETUP = ROOT.parent / "shared" / "tools" / "mediawiki" / "setup.sh"
START = datetime(2024, 3, 1, 12, 0, 0)


def pages_to_make(prefix: str) -> list[tuple[str, list[tuple[str, str, str, bool]]]]:
    """(title, [(author, summary, text, minor), ...]) - authors "Alice", "Bob" or an IP address."""
    alpha = f"{prefix} Alpha"
    return [
        (
            alpha,
            [
                (
                    "Alice",
                    "First version",
                    "'''Alpha''' is a test page.\n\n== History ==\nIt began & grew.",
                    False,
                ),
                (
                    "Bob",
                    'Fix <b>bold</b> & "quotes"',
                    "'''Alpha''' is a test page about [[Beta]].\n\n"
                    "== History ==\nIt began & grew < 2024 > 2023.\n\n[[Category:" + prefix + "]]",
                    True,
                ),
                (
                    "192.0.2.7",
                    "",
                    "'''Alpha''' is a test page about [[Beta]].\n\n== History ==\n"
                    "It began & grew < 2024 > 2023.\n* one\n** two\n\n{{" + prefix + " Box|x=1}}\n\n"
                    "[[Category:" + prefix + "]]",
                    False,
                ),
            ],
        ),
        (f"Talk:{alpha}", [("Bob", "Question", "Why Alpha? ~~~~ signed by hand: Bob", False)]),
        (f"Template:{prefix} Box", [("Alice", "Template", '<div class="box">{{{x|none}}}</div>', False)]),
        (f"{prefix} Redirect", [("Alice", "Redirect", f"#REDIRECT [[{alpha}]]", False)]),
        (f"Category:{prefix}", [("Alice", "", "Pages made by the dump round trip.", False)]),
        (
            f"{prefix} Ünïcødé 日本語",
            [
                ("Alice", "Unicode ✓", "Ελληνικά — 日本語 — emoji 😀\n\nTrailing line", False),
                (
                    "Bob",
                    "Whitespace kept",
                    "Ελληνικά — 日本語 — emoji 😀\n\n  indented\tline with tab",
                    False,
                ),
            ],
        ),
    ]


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def fresh_wiki(work: Path, name: str) -> dict:
    instance = work / name
    instance.mkdir()
    env = {**os.environ, "WIKI_INSTANCE_DIR": str(instance), "WIKI_INDEX_DIR": str(instance / "search")}
    env.pop("WIKI_DATABASE_URL", None)
    run([sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"], cwd=ROOT, env=env)
    return env


def make_pages(env: dict, prefix: str) -> None:
    os.environ.update({k: env[k] for k in ("WIKI_INSTANCE_DIR", "WIKI_INDEX_DIR")})
    from wiki import create_app, pages, site
    from wiki.access import accounts

    app = create_app()
    with app.app_context():
        actors = {}
        for name in ("Alice", "Bob"):
            user = accounts.create_user(name, "roundtrip-password")
            actors[name] = pages.Actor(user.name, user.id)
        when = START
        for title_text, revisions in pages_to_make(prefix):
            title = site.parse_title(title_text)
            base = None
            for author, summary, text, minor in revisions:
                actor = actors.get(author) or pages.Actor(author)
                result = pages.save(
                    title, text, actor=actor, summary=summary, minor=minor, base_rev_id=base, timestamp=when
                )
                base = result.revision.id
                when += timedelta(minutes=7)


def revisions_of(path: Path, prefix: str) -> dict[str, list[tuple]]:
    """title -> [(timestamp, user, comment, minor, text)] read from a dump with mwxml."""
    import mwxml

    out: dict[str, list[tuple]] = {}
    with open(path, "rb") as fh:
        dump = mwxml.Dump.from_file(fh)
        for page in dump:
            if prefix not in page.title:
                continue
            out[page.title] = [
                (
                    str(r.timestamp),
                    r.user.text if r.user else None,
                    r.comment or "",
                    bool(r.minor),
                    r.text or "",
                )
                for r in page
            ]
    return out


def by_key(path: Path) -> dict[tuple[int, str], list[tuple]]:
    """(namespace, title without its prefix) -> revisions: namespace names differ between wikis."""
    import mwxml

    out = {}
    with open(path, "rb") as fh:
        for page in mwxml.Dump.from_file(fh):
            name = page.title.split(":", 1)[1] if page.namespace and ":" in page.title else page.title
            out[(page.namespace, name)] = [
                (
                    str(r.timestamp),
                    r.user.text if r.user else None,
                    r.comment or "",
                    bool(r.minor),
                    r.text or "",
                )
                for r in page
            ]
    return out


def import_then_export(work: Path, name: str, dump: Path) -> Path:
    """Import `dump` into a fresh wiki of ours and export its full history; the export's path."""
    wiki = fresh_wiki(work, name)
    flask = [sys.executable, "-m", "flask", "--app", "wiki"]
    run([*flask, "import-dump", "--quiet", str(dump)], cwd=ROOT, env=wiki)
    out = work / f"{name}-again.xml"
    run([*flask, "export-dump", "--full-history", str(out)], cwd=ROOT, env=wiki)
    return out


def whole_wiki(work: Path) -> bool:
    """3. MediaWiki's whole wiki (dumpBackup.php --full) -> our import-dump -> our export: identical."""
    full = work / "mediawiki-full.xml"
    full.write_text(mediawiki(["dumpBackup.php", "--full", "--quiet"]))
    back = import_then_export(work, "whole", full)
    want, got = by_key(full), by_key(back)
    ok = want == got
    count = sum(len(v) for v in want.values())
    for key in [k for k in want if want[k] != got.get(k)][:5]:
        print(f"  MISMATCH whole wiki: {key}")
    verdict = "OK" if ok else "FAILED"
    print(
        f"{verdict} MediaWiki's whole wiki (dumpBackup.php --full) -> our import-dump -> export-dump: "
        f"{len(want)} pages, {count} revisions identical"
    )
    return ok


def expected(prefix: str) -> dict[str, list[tuple]]:
    out, when = {}, START
    for title, revisions in pages_to_make(prefix):
        rows = []
        for author, summary, text, minor in revisions:
            rows.append((when.strftime("%Y-%m-%dT%H:%M:%SZ"), author, summary, minor, text.rstrip()))
            when += timedelta(minutes=7)
        out[title] = rows
    return out


def mediawiki(args: list[str], stdin=None) -> str:
    cmd = ["runuser", "-u", "www-data", "--", "php", str(MW / args[0]), *args[1:]]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, stdin=stdin).stdout


def compare(label: str, got: dict, want: dict) -> bool:
    ok = True
    for title, revisions in want.items():
        have = got.get(title)
        if have != revisions:
            ok = False
            print(f"  MISMATCH {label}: {title}\n    want {revisions}\n    got  {have}")
    count = sum(len(r) for r in want.values())
    print(
        f"{'OK' if ok else 'FAILED'} {label}: {len(want)} pages, {count} revisions"
        + (" identical (text, timestamp, contributor, summary, minor)" if ok else "")
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixture", help="also write MediaWiki's dump of the pages here")
    parser.add_argument("--prefix", default=f"Dump roundtrip {time.strftime('%m%d%H%M%S')}")
    args = parser.parse_args()
    if not (MW / "importDump.php").exists():
        print(f"MediaWiki is not installed: run `bash {MW_SETUP}` first (as root).")
        return 2
    work = Path(tempfile.mkdtemp(prefix="dump-roundtrip-"))
    os.chmod(work, 0o755)
    try:
        want = expected(args.prefix)
        ours = fresh_wiki(work, "ours")
        make_pages(ours, args.prefix)
        exported = work / "ours.xml"
        started = time.monotonic()
        run(
            [sys.executable, "-m", "flask", "--app", "wiki", "export-dump", "--full-history", str(exported)],
            cwd=ROOT,
            env=ours,
        )
        ok = compare("our export-dump (read back with mwxml)", revisions_of(exported, args.prefix), want)

        for name in ("Alice", "Bob"):  # so MediaWiki credits the local accounts, not "imported>Name"
            try:
                mediawiki(["createAndPromote.php", name, "Roundtrip-password-2024!"])
            except subprocess.CalledProcessError:
                pass  # the account exists already
        os.chmod(exported, 0o644)
        with open(exported, "rb") as fh:
            mediawiki(["importDump.php", "--no-updates"], stdin=fh)
        pagelist = work / "pagelist.txt"
        pagelist.write_text("\n".join(want) + "\n", encoding="utf-8")
        os.chmod(pagelist, 0o644)
        mw_dump = work / "mediawiki.xml"
        mw_dump.write_text(mediawiki(["dumpBackup.php", "--full", "--quiet", f"--pagelist={pagelist}"]))
        ok &= compare(
            "our export -> MediaWiki importDump.php -> dumpBackup.php",
            revisions_of(mw_dump, args.prefix),
            want,
        )
        texts_ok = all(
            mediawiki(["getText.php", title]).rstrip("\n") == revisions[-1][4]
            for title, revisions in want.items()
        )
        verdict = "OK" if texts_ok else "FAILED"
        print(f"{verdict} MediaWiki getText.php shows our current texts for {len(want)} pages")
        ok &= texts_ok

        again = import_then_export(work, "theirs", mw_dump)
        ok &= compare("MediaWiki dumpBackup.php -> our import-dump", revisions_of(again, args.prefix), want)
        ok &= whole_wiki(work)
        print(f"round trip took {time.monotonic() - started:.1f} s")
        if args.fixture:
            shutil.copy(mw_dump, args.fixture)
            print(f"MediaWiki's dump written to {args.fixture}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
