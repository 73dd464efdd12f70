"""import-dump memory and speed: the same synthetic dump at two sizes; memory must stay flat.

    .venv/bin/python bench/dump_import_scale.py [--small 300] [--large 1500] [--revisions 3]

Writes two .xml.bz2 dumps (pages of ~2 KB wikitext with links and categories, several revisions
each), imports each into a fresh wiki (wiki.dumps.import_.run, what import-dump runs) in a child
process and prints pages/s and the child's peak memory (max RSS). A streaming import has the same
peak for both sizes; one that holds the dump in memory grows with it.
"""

from __future__ import annotations

import argparse
import bz2
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = "model scale transformer token context attention layer training corpus benchmark".split()


def write_dump(path: Path, pages: int, revisions: int) -> None:
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
            "<siteinfo><sitename>Bench</sitename><dbname>bench</dbname><base>http://x/wiki/Main_Page</base>"
            "<generator>MediaWiki 1.39.17</generator><case>first-letter</case><namespaces>"
            '<namespace key="0" case="first-letter" />'
            '<namespace key="14" case="first-letter">Category</namespace>'
            "</namespaces></siteinfo>\n"
        )
        for n in range(pages):
            out.write(f"<page><title>Bench page {n}</title><ns>0</ns><id>{n + 1}</id>\n")
            for r in range(revisions):
                body = " ".join(WORDS[(n + r + i) % len(WORDS)] for i in range(300))
                links = f"[[Bench page {(n + 1) % pages}]] [[Category:Bench {n % 7}]]"
                text = f"'''Bench page {n}''' {body}\n\n{links}"
                out.write(
                    f"<revision><id>{n * revisions + r + 1}</id>"
                    f"<timestamp>2024-01-01T00:{r // 60:02d}:{r % 60:02d}Z</timestamp>"
                    "<contributor><username>Bench</username><id>1</id></contributor>"
                    f"<comment>rev {r}</comment><model>wikitext</model><format>text/x-wiki</format>"
                    f'<text xml:space="preserve">{text}</text></revision>\n'
                )
            out.write("</page>\n")
        out.write("</mediawiki>\n")


def import_into_fresh_wiki(dump: Path, work: Path) -> tuple[float, int]:
    instance = work / dump.stem
    instance.mkdir()
    env = {**os.environ, "WIKI_INSTANCE_DIR": str(instance), "WIKI_INDEX_DIR": str(instance / "search")}
    env.pop("WIKI_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "wiki"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    # The import alone, in a child process of its own, so its peak memory is measured by itself
    # (import-dump then builds the search index, whose memory is the search engine's business).
    code = (
        "import resource, sys, time\n"
        "from wiki import create_app\n"
        "from wiki.dumps import import_\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    t = time.monotonic()\n"
        "    import_.run(sys.argv[1])\n"
        "    print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(dump)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--large", type=int, default=1500)
    parser.add_argument("--revisions", type=int, default=3)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="dump-scale-") as tmp:
        work = Path(tmp)
        for pages in (args.small, args.large):
            dump = work / f"bench{pages}.xml.bz2"
            write_dump(dump, pages, args.revisions)
            seconds, rss_kb = import_into_fresh_wiki(dump, work)
            results[pages] = (seconds, rss_kb)
            print(
                f"{pages:6d} pages x {args.revisions} revisions ({dump.stat().st_size / 1e6:.1f} MB bz2): "
                f"{seconds:6.1f} s, {pages / seconds:6.1f} pages/s, peak RSS {rss_kb / 1024:.0f} MiB"
            )
    small, large = results[args.small][1], results[args.large][1]
    growth = (large - small) / 1024
    print(f"peak memory grew by {growth:.0f} MiB for {args.large / args.small:.0f}x the pages")
    return 0 if growth < 50 else 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
