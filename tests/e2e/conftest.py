"""Browser tests: Debian's Chromium driven by Playwright against a real gunicorn serving the seeded wiki.

One server and one browser serve the whole e2e package (seeding 100+ pages per test would blow the
time budget); every test gets a fresh browser context, so cookies and storage never leak between
tests. Each page records console errors, uncaught exceptions, failed requests and HTTP errors, and a
test fails if any happened that it did not expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import CHROMIUM, PG_URL, LiveServer, close_app, copy_sqlite, make_app, require_browser
from tests.helpers import form_fields

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"


@pytest.fixture(scope="package")
def chromium_present() -> None:
    require_browser()


@pytest.fixture(scope="package")
def seeded_server(chromium_present, tmp_path_factory, seeded_database_url):
    """gunicorn over the session's seeded wiki (content/), on a copy of its own: these tests edit."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    url = _own_copy(seeded_database_url, instance)
    app = make_app(url, instance)
    ensure_index = app.extensions.get("wiki.ensure_index")
    if ensure_index is not None:
        with app.app_context():
            ensure_index()
    close_app(app)
    server = LiveServer(url, instance).start()
    yield server
    server.stop()
    if url != seeded_database_url and not url.startswith("sqlite"):
        _drop_pg(url)


def _own_copy(seeded_url: str, instance: Path) -> str:
    """A writable copy of the seeded database: a file copy on SQLite, a template copy on PostgreSQL."""
    if seeded_url.startswith("sqlite:///"):
        return copy_sqlite(seeded_url[len("sqlite:///") :], instance / "wiki.db")
    base, name = seeded_url.rsplit("/", 1)
    copy = f"{name}_e2e"
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))
        # A template must have no other sessions: other modules' apps over the seeded wiki may still
        # hold pooled connections (they reconnect on their next use, pool_pre_ping).
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"'))
    engine.dispose()
    return f"{base}/{copy}"


def _drop_pg(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="package")
def browser(seeded_server):
    from playwright import sync_api  # imported here: present once chromium_present has passed

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page with everything that went wrong on it recorded."""

    page: object
    base: str
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str, expect_status: int = 200):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == expect_status, (path, response and response.status)
        if expect_status >= 400:
            # Chromium logs every error status as a console error, the expected one included.
            expected = f"status of {expect_status}"
            self.problems = [p for p in self.problems if not (self.page.url in p and expected in p)]
        return response

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "problems on the page:\n" + "\n".join(problems)

    def screenshot(self, name: str, full_page: bool = False) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        width = self.page.viewport_size["width"]
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=full_page)

    def horizontal_overflow(self) -> int:
        """How many pixels the document scrolls sideways (0 when nothing does)."""
        root = "document.documentElement"
        return self.page.evaluate(f"{root}.scrollWidth - {root}.clientWidth")

    def axe_violations(self, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
        """axe-core's violations of WCAG 2.1 A/AA and best practice at the given impacts."""
        # page.evaluate runs through the DevTools protocol, which the page's CSP does not govern.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(_axe_source())
        result = self.page.evaluate(
            """() => axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            })"""
        )
        return [
            f"{v['impact']}: {v['id']} ({v['help']}) at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"]
            if v["impact"] in impacts
        ]


_AXE_CACHE: list[str] = []


def _axe_source() -> str:
    if not _AXE_CACHE:
        _AXE_CACHE.append(AXE.read_text(encoding="utf-8"))
    return _AXE_CACHE[0]


def _watch(context, base: str) -> Watched:
    page = context.new_page()
    watched = Watched(page, base)
    page.set_default_timeout(10_000)

    def on_console(msg):
        if msg.type == "error":
            watched.problems.append(f"console error on {page.url}: {msg.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            watched.problems.append(f"HTTP {response.status} for {response.url}")

    def on_dialog(dialog):
        watched.dialogs.append(dialog.type)
        dialog.accept()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watched.problems.append(f"uncaught error on {page.url}: {exc}"))

    def on_failed(request):
        # A fetch, image or favicon still in flight when the test leaves the page is cancelled by
        # the navigation, not failed; error statuses are caught by on_response either way.
        if request.failure == "net::ERR_ABORTED" and request.resource_type != "document":
            return
        watched.problems.append(f"failed request {request.url}: {request.failure}")

    def on_request(request):
        # Everything, the favicon included, comes from our own server: no CDN, font or tracker.
        if not request.url.startswith((base + "/", "data:", "blob:", "about:")):
            watched.problems.append(f"external request {request.url}")

    page.on("requestfailed", on_failed)
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("dialog", on_dialog)
    return watched


def _make_page(browser, seeded_server, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    watched = _watch(context, seeded_server.url)
    return context, watched


@pytest.fixture
def desktop(browser, seeded_server):
    """A 1280 px wide page; the test fails if a console error or failed request was left unchecked."""
    context, watched = _make_page(browser, seeded_server, DESKTOP)
    yield watched
    context.close()
    assert not watched.problems, "problems on the page:\n" + "\n".join(watched.problems)


@pytest.fixture
def phone(browser, seeded_server):
    """A 375 px wide touch page, as on a phone."""
    context, watched = _make_page(browser, seeded_server, PHONE, is_mobile=True, has_touch=True)
    yield watched
    context.close()
    assert not watched.problems, "problems on the page:\n" + "\n".join(watched.problems)


@pytest.fixture(scope="package")
def edited_page(seeded_server) -> str:
    """A seeded page edited once more through the real edit form, so it has history to compare."""
    title = "Few-shot_learning"
    session = requests.Session()
    base = seeded_server.url
    form = session.get(f"{base}/w/index.php", params={"title": title, "action": "edit"}, timeout=10)
    fields = form_fields(form.text)
    text = session.get(f"{base}/w/index.php", params={"title": title, "action": "raw"}, timeout=10).text
    text = text.replace("a small number of examples", "a handful of examples", 1)
    fields.update(
        wpTextbox1=text + "\n\nAn added closing line.\n",
        wpSummary="Clarify the definition",
        wpSave="Save changes",
    )
    saved = session.post(f"{base}/w/index.php?title={title}&action=submit", data=fields, timeout=10)
    assert saved.status_code == 200, saved.status_code
    return title


def press_access_key(page, key: str) -> None:
    """Alt+Shift+<key>, as a person types it: Playwright sends no `char` event while Alt is held,
    and Chromium activates access keys on that event, so the keys go through the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    code = ord(key.upper())
    base = {"modifiers": 1 | 8, "key": key, "code": f"Key{key.upper()}", "windowsVirtualKeyCode": code}
    cdp.send("Input.dispatchKeyEvent", {**base, "type": "rawKeyDown"})
    cdp.send("Input.dispatchKeyEvent", {**base, "type": "char", "text": key, "unmodifiedText": key})
    cdp.send("Input.dispatchKeyEvent", {**base, "type": "keyUp"})
    cdp.detach()
