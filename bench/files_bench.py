"""Uploaded files, measured: a 4000×3000 JPEG thumbnailed to 220 px (ours beside ImageMagick's
`convert -thumbnail`, what MediaWiki runs), each in a fresh process for its peak memory; and
10 MB JPEG uploads through HTTP (p95 time, the server's memory before and after).

    .venv/bin/python bench/files_bench.py
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

THUMB = """
import sys, time, resource
from PIL import Image, ImageOps
start = time.perf_counter()
with Image.open(sys.argv[1]) as img:
    img.draft("RGB", (220, 165))
    frame = ImageOps.exif_transpose(img).convert("RGB")
    frame = frame.resize((220, 165), Image.Resampling.LANCZOS, reducing_gap=3.0)
    frame.save(sys.argv[2], "JPEG", quality=80)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def big_jpeg(path: Path, width: int = 4000, height: int = 3000) -> None:
    from PIL import Image

    noise = Image.frombytes("RGB", (width // 4, height // 4), os.urandom(width * height * 3 // 16))
    noise.resize((width, height)).save(path, "JPEG", quality=90)


def ours(source: Path, out: Path) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", THUMB, str(source), str(out)], capture_output=True, text=True, check=True
    )
    seconds, rss = done.stdout.split()
    return float(seconds), int(rss)


def imagemagick(source: Path, out: Path) -> tuple[float, int] | None:
    convert = shutil.which("convert")
    if convert is None:
        return None
    start = time.perf_counter()
    subprocess.run(
        [convert, str(source), "-quality", "80", "-thumbnail", "220x165", "-depth", "8", str(out)], check=True
    )
    took = time.perf_counter() - start
    return took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def uploads(runs: int = 10) -> list[float]:
    """Seconds per 10 MB JPEG upload through the test client (the whole request, in this process)."""
    from PIL import Image

    from tests.files.conftest import login
    from wiki import create_app

    work = Path(tempfile.mkdtemp())
    os.environ["WIKI_RATE_LIMITS"] = "off"
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "WIKI_INSTANCE_DIR": str(work)},
    )
    app = create_app(
        {"TESTING": True, "WIKI_INSTANCE_DIR": str(work), "WIKI_INDEX_DIR": str(work / "search")}
    )
    user = login(app, "Bencher", "bench-marble-31")
    files = []
    for n in range(runs):
        img = Image.frombytes("RGB", (3400, 2500), os.urandom(3400 * 2500 * 3))
        path = work / f"bench{n}.jpg"
        img.save(path, "JPEG", quality=95)
        files.append(path)
    del img
    print(f"upload size: {files[0].stat().st_size / 1e6:.1f} MB")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for n, path in enumerate(files):
        with open(path, "rb") as handle:
            form = {
                "wpUploadFile": (handle, path.name),
                "wpDestFile": f"Bench {n}.jpg",
                "wpEditToken": user.token(),
            }
            start = time.perf_counter()
            resp = user.client.post(
                "/w/index.php?title=Special:Upload", data=form, content_type="multipart/form-data"
            )
            times.append(time.perf_counter() - start)
        assert resp.status_code == 303, resp.status_code
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS during the uploads: {before / 1024:.0f} → {after / 1024:.0f} MB")
    return sorted(times)


def _page_texts(n: int) -> tuple[str, str]:
    """The same article twice: a thumbnail with its caption in each section, and the captions as
    plain text instead of the images."""
    shown, plain = [], []
    for i in range(n):
        body = f"Some prose about part {i}, with a [[Link {i}]] and ''slanted'' words. " * 6
        caption = f"Figure {i}: a caption with a [[Caption link {i}]]"
        shown.append(f"== Part {i} ==\n[[File:Bench thumb {i}.jpg|thumb|{caption}]]\n{body}")
        plain.append(f"== Part {i} ==\n{caption}\n{body}")
    return "\n\n".join(shown), "\n\n".join(plain)


def page_with_thumbnails(n: int = 50, runs: int = 15) -> dict[str, float]:
    """A page showing `n` uploaded files as thumbnails, all already made, beside the same page
    without the images: best-of-`runs` render (a parser-cache miss: the file facts come from the
    database) and a logged-in page view through HTTP (a parser-cache hit), in milliseconds."""
    import re

    from tests.files.conftest import login
    from wiki import create_app, site
    from wiki.pages import derive

    work = Path(tempfile.mkdtemp())
    os.environ["WIKI_RATE_LIMITS"] = "off"
    env = {**os.environ, "WIKI_INSTANCE_DIR": str(work)}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )
    app = create_app({"WIKI_INSTANCE_DIR": str(work), "WIKI_INDEX_DIR": str(work / "search")})
    user = login(app, "Thumbnailer", "bench-heron-58")
    for i in range(n):
        made = user.upload(_colour_jpeg(i), f"bench{i}.jpg", f"Bench thumb {i}.jpg")
        assert made.status_code == 303, made.status_code
    texts = dict(zip(("Thumbnails", "No images"), _page_texts(n), strict=True))
    for name, text in texts.items():
        form = user.client.get(f"/w/index.php?title={name}&action=edit").get_data(as_text=True)
        token = unescape(re.search(r'name="wpEditToken" value="([^"]*)"', form).group(1))
        saved = user.client.post(
            f"/w/index.php?title={name}&action=submit",
            data={"wpTextbox1": text, "wpEditToken": token, "wpSave": "1", "wpSummary": ""},
        )
        assert saved.status_code in (302, 303), saved.status_code
    anon = app.test_client()
    html = anon.get("/wiki/Thumbnails").get_data(as_text=True)
    thumbs = set(re.findall(r'src="([^"]*/images/thumb/[^"]+)"', html))
    assert len(thumbs) == n, f"{len(thumbs)} thumbnails on the page"
    for url in thumbs:  # made now: the page below shows thumbnails that already exist
        assert anon.get(url).status_code == 200, url
    result: dict[str, float] = {}
    for name, text in texts.items():
        best_render = best_view = float("inf")
        with app.test_request_context():
            title = site.parse_title(name)
            for _ in range(runs):
                start = time.perf_counter()
                derive.render_text(title, text)
                best_render = min(best_render, time.perf_counter() - start)
        url = "/wiki/" + name.replace(" ", "_")
        for _ in range(runs):  # logged in: through Flask and the parser cache, not the front cache
            start = time.perf_counter()
            assert user.client.get(url).status_code == 200
            best_view = min(best_view, time.perf_counter() - start)
        result[f"render {name}"] = best_render * 1000
        result[f"view {name}"] = best_view * 1000
    shutil.rmtree(work, ignore_errors=True)
    return result


def _colour_jpeg(i: int) -> bytes:
    """An 800×600 JPEG of its own colour (distinct bytes: no duplicate-file warning)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (800, 600), (i * 5 % 256, 90, 255 - i * 5 % 256)).save(out, "JPEG")
    return out.getvalue()


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    source = folder / "big.jpg"
    big_jpeg(source)
    rows = [("ours (Pillow, draft + LANCZOS)", *ours(source, folder / "ours.jpg"))]
    theirs = imagemagick(source, folder / "im.jpg")
    if theirs:
        rows.append(("ImageMagick convert -thumbnail (MediaWiki)", *theirs))
    print("| thumbnail 4000×3000 JPEG → 220 px | seconds | peak RSS (MB) |\n|---|---|---|")
    for label, seconds, rss in rows:
        print(f"| {label} | {seconds:.3f} | {rss / 1024:.0f} |")
    times = uploads()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    print(f"uploads: median {times[len(times) // 2]:.3f} s, p95 {p95:.3f} s")
    page = page_with_thumbnails()
    print("50 thumbnails already made vs no images: " + ", ".join(f"{k} {v:.1f} ms" for k, v in page.items()))


if __name__ == "__main__":
    main()
