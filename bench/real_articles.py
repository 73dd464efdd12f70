"""The 111 real Wikipedia articles rendered by us and by the MediaWiki 1.39 lab, compared.

Both sides render in the parser-test site (../shared/conformance/README.md): ours through
tests/conformance/adapter.py, MediaWiki through ../shared/tools/mediawiki/mwrender.py with
MW_PT_MODE=1 MW_PT_EXT=1 (Cite and ParserFunctions loaded). Templates are missing on both sides;
the fixture pages of parserTests-public.txt exist on both (the lab's parser-test wiki has them).
Both outputs go through the conformance harness's `normalize_html`; an article is identical when the
normalised forms are equal, and its similarity is difflib's ratio over the normalised lines (one
block element a line).

    .venv/bin/python bench/real_articles.py [--limit N] [--show TITLE] [--kinds 30] [--json F]

`--kinds` prints the most common differing lines, each reduced to its tags and classes: what to fix
first in the renderer.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
HARNESS = SHARED / "conformance" / "harness.py"
CASES = SHARED / "conformance" / "parserTests-public.txt"
MWRENDER = SHARED / "tools" / "mediawiki" / "mwrender.py"
ADAPTER = ROOT / "tests" / "conformance" / "adapter.py"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def unavailable() -> str | None:
    """Why the comparison cannot run here, or None."""
    for need in (HARNESS, CASES, MWRENDER):
        if not need.exists():
            return f"{need} is absent (../shared is not beside this checkout)"
    if os.geteuid() != 0:
        return "the MediaWiki lab's mwrender.py runs PHP as www-data (runuser needs root)"
    try:
        mw_renderer()("probe")
    except Exception as exc:
        return f"the MediaWiki lab does not render ({exc.__class__.__name__}: {exc}); run setup.sh"
    return None


def harness() -> ModuleType:
    return sys.modules.get("pt_harness") or _load(HARNESS, "pt_harness")


def mw_renderer() -> Callable[..., str]:
    os.environ["MW_PT_MODE"] = "1"
    os.environ["MW_PT_EXT"] = "1"
    module = sys.modules.get("pt_mwrender") or _load(MWRENDER, "pt_mwrender")
    return module.render


def our_renderer() -> Callable[..., str]:
    """The adapter's site without the render time limit: on a busy machine the largest articles
    would pass the wall-clock limit and compare as an error message, which is not what is measured."""
    from wiki.markup import render

    adapter = sys.modules.get("pt_adapter") or _load(ADAPTER, "pt_adapter")

    def ours(text: str, title: str, articles: dict[str, str]) -> str:
        ctx = adapter.context(title, articles)
        ctx.time_limit = None
        return render(text, ctx).html

    return ours


def fixtures() -> dict[str, str]:
    """The fixture pages both sides have (the lab loaded the same file's `!! article` pages)."""
    data = harness().read_cases_file(str(CASES))
    return {a["title"]: a["text"] for a in data["articles"]}


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.splitlines(), b.splitlines(), autojunk=False).ratio()


def compare(articles: list[dict], progress: bool = False) -> dict:
    """Render every article on both sides; per-article identity and similarity, plus the totals."""
    normalize = harness().normalize_html
    ours, theirs, pages = our_renderer(), mw_renderer(), fixtures()
    results, ours_s, mw_s = [], 0.0, 0.0
    for i, art in enumerate(articles):
        start = time.perf_counter()
        mine = normalize(ours(art["text"], title=art["title"], articles=pages))
        ours_s += time.perf_counter() - start
        start = time.perf_counter()
        ref = normalize(theirs(art["text"], title=art["title"]))
        mw_s += time.perf_counter() - start
        results.append(
            {
                "title": art["title"],
                "identical": mine == ref,
                "similarity": similarity(mine, ref),
                "ours": mine,
                "mediawiki": ref,
            }
        )
        if progress:
            print(f"\r  {i + 1}/{len(articles)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    n = len(results)
    return {
        "articles": n,
        "identical": sum(r["identical"] for r in results),
        "mean_similarity": sum(r["similarity"] for r in results) / max(n, 1),
        "ours_seconds": ours_s,
        "mediawiki_seconds": mw_s,
        "results": results,
    }


_ATTR_VALUE = re.compile(r'(\s(?!class=)[a-z-]+)="[^"]*"')


def shape(line: str) -> str:
    """A differing line reduced to its markup: attribute values (but classes) and text dropped."""
    line = _ATTR_VALUE.sub(r"\1", line)
    return re.sub(r">[^<]+", ">…", re.sub(r"^[^<]+", "…", line))[:160]


def kinds(results: list[dict], top: int) -> list[tuple[str, int]]:
    """The most common shapes of lines that only one side has (prefixed - ours, + MediaWiki's)."""
    count: collections.Counter[str] = collections.Counter()
    for r in results:
        if r["identical"]:
            continue
        diff = difflib.ndiff(r["ours"].splitlines(), r["mediawiki"].splitlines())
        for line in diff:
            if line[:2] in ("- ", "+ "):
                count[line[:2] + shape(line[2:])] += 1
    return count.most_common(top)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--show", help="print the normalised diff of this article")
    ap.add_argument("--kinds", type=int, default=0, metavar="N", help="the N most common differing lines")
    ap.add_argument("--json", help="write per-article results here")
    args = ap.parse_args()
    reason = unavailable()
    if reason:
        sys.exit(f"real articles comparison skipped: {reason}")
    sys.path.insert(0, str(HERE))
    import corpus

    articles = [json.loads(line) for line in corpus.real_articles().open(encoding="utf-8")]
    if args.show:
        articles = [a for a in articles if a["title"] == args.show]
    elif args.limit:
        articles = articles[: args.limit]
    got = compare(articles, progress=True)
    for r in got["results"]:
        if args.show:
            sys.stdout.writelines(
                difflib.unified_diff(
                    r["ours"].splitlines(True), r["mediawiki"].splitlines(True), "ours", "mediawiki", n=1
                )
            )
    worst = sorted(got["results"], key=lambda r: r["similarity"])[:5]
    print(
        f"{got['identical']} of {got['articles']} identical after normalisation, "
        f"mean similarity {got['mean_similarity']:.4f} "
        f"(ours {got['ours_seconds']:.1f} s, MediaWiki {got['mediawiki_seconds']:.1f} s)"
    )
    print("least similar: " + ", ".join(f"{r['title']} {r['similarity']:.3f}" for r in worst))
    for line, n in kinds(got["results"], args.kinds):
        print(f"{n:6d}  {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(got, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
