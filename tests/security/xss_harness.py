"""Plant the XSS corpus through HTTP and load every place it shows up in headless Chromium.

The browser records, per loaded URL: calls of alert/confirm/prompt/print (the payloads call
alert(ID)), native dialogs, requests to any other origin (payloads load //evil.invalid/ID), and
"residue": elements left in the DOM that could run script when touched (on* attributes,
javascript:/vbscript:/data:text/html URLs, foreign <script>, <iframe>, <object>, <embed>, <base>,
<meta http-equiv>, forms inside page content). After load it also fires mouseover, pointerenter
and focus on every element, so handlers that need a user gesture run too.

The page's Content-Security-Policy is bypassed on purpose: the proof is about our escaping and
sanitising, not about the CSP that backs it up.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from html import unescape

import requests

from tests.helpers import form_fields

from .xss_corpus import TEMPLATES, Vector

CLOSERS = (
    "\n</nowiki></pre></includeonly></noinclude></ref></syntaxhighlight></source></poem></gallery>"
    "</math></chem></ce></graph></code></textarea></svg>-->}}}}]]\n\n"
)
BATCH = 20

INIT_SCRIPT = """
(() => {
  const hits = [];
  Object.defineProperty(window, '__xss', {value: hits});
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (x) => { hits.push(name + ':' + String(x)); };
  }
})();
"""

PROBE = r"""
() => {
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background',
                    'poster', 'lowsrc', 'dynsrc', 'to', 'values', 'from', 'by'];
  // The rendered wikitext (every page has #mw-content-text, and special pages' forms sit in it).
  const parsed = Array.from(document.querySelectorAll('.mw-parser-output'));
  const inContent = (el) => parsed.some((c) => c.contains(el));
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'pointerenter', 'focus', 'toggle', 'animationstart']) {
      try { el.dispatchEvent(new Event(type, {bubbles: true})); } catch (e) {}
    }
  }
  const residue = [];
  const own = (u) => !u || u.startsWith(location.origin + '/static/') || u.startsWith('/static/');
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    const why = [];
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (n.startsWith('on')) why.push('handler ' + n);
      const scriptUrl = /^(javascript|vbscript|livescript):|^data:(text\/html|image\/svg|application)/;
      if (urlAttrs.includes(n) && scriptUrl.test(v)) why.push('url ' + n);
      if (n === 'srcdoc') why.push('srcdoc');
      const badStyle = /expression\s*\(|javascript:|behavior\s*:|-moz-binding/i;
      if (n === 'style' && badStyle.test(a.value)) why.push('style');
    }
    if (tag === 'script' && !own(el.getAttribute('src'))) why.push('script');
    if (['iframe', 'frame', 'object', 'embed', 'applet', 'base', 'portal'].includes(tag)) why.push(tag);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) why.push('meta refresh');
    const loads = /stylesheet|import|preload/.test(el.rel || '');
    if (tag === 'link' && loads && !own(el.getAttribute('href'))) why.push('link');
    if (tag === 'style' && inContent(el)) why.push('style element');
    if (inContent(el) && el.id !== 'toctogglecheckbox'
        && ['form', 'input', 'button', 'textarea', 'select'].includes(tag))
      why.push('form control in content');
    if (why.length) residue.push(why.join(',') + ' :: ' + el.outerHTML.slice(0, 200));
  }
  const text = document.body ? document.body.innerText : '';
  const marks = Array.from(text.matchAll(/xssmark(\d+)q/g)).map((m) => Number(m[1]));
  return {hits: window.__xss ? Array.from(window.__xss) : [], residue, marks};
}
"""


@dataclass
class Finding:
    url: str
    kind: str  # execution | dialog | foreign-request | residue
    detail: str

    def vector_ids(self) -> list[int]:
        return [int(n) for n in re.findall(r"(?:alert[(:]|evil\.invalid/)(\d+)", self.detail)]


@dataclass
class Report:
    loads: int = 0
    seconds_loading: float = 0.0
    seconds_probing: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    refused: dict[int, int] = field(default_factory=dict)  # vector id -> HTTP status that refused it
    planted: set[int] = field(default_factory=set)
    pages_of: dict[int, list[str]] = field(default_factory=dict)  # vector id -> URLs it was seen on

    def executions(self) -> list[Finding]:
        return [f for f in self.findings if f.kind != "residue"]


class Planter:
    """Saves pages, summaries and accounts through the real forms of a running server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.token = ""

    def _form(self, title: str) -> dict[str, str]:
        html = self.http.get(
            f"{self.base}/w/index.php", params={"title": title, "action": "edit"}, timeout=30
        ).text
        return {
            k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
        }

    def save(
        self,
        title: str,
        text: str,
        summary: str = "",
        session: requests.Session | None = None,
        new: bool = False,
    ) -> int:
        """Save through the edit form; `new` pages reuse the session's token instead of loading the form."""
        http = session or self.http
        if new and session is None:
            if not self.token:
                self.token = self._form("Xss token")["wpEditToken"]
            fields = {"wpEditToken": self.token}
        else:
            fields = self._form(title) if session is None else _fields(http, self.base, title)
        data = {**fields, "wpTextbox1": text, "wpSummary": summary, "wpSave": "1"}
        resp = http.post(
            f"{self.base}/w/index.php", params={"title": title, "action": "submit"}, data=data, timeout=60,
            allow_redirects=False,
        )  # fmt: skip
        if resp.status_code == 200 and 'name="wpCaptchaId"' in resp.text:  # added links: answer as a person
            data.update(form_fields(resp.text))
            url = f"{self.base}/w/index.php"
            params = {"title": title, "action": "submit"}
            resp = http.post(url, params=params, data=data, timeout=60, allow_redirects=False)
        return resp.status_code

    def account(self, name: str, password: str = "xss-test-password") -> requests.Session | int:
        session = requests.Session()
        html = session.get(f"{self.base}/wiki/Special:CreateAccount", timeout=30).text
        data = {**form_fields(html), "wpName": name, "wpPassword": password, "wpRetype": password}
        resp = session.post(
            f"{self.base}/w/index.php", params={"title": "Special:CreateAccount"}, data=data, timeout=60,
            allow_redirects=False,
        )  # fmt: skip
        return session if resp.status_code == 303 else resp.status_code


def _fields(http: requests.Session, base: str, title: str) -> dict[str, str]:
    html = http.get(f"{base}/w/index.php", params={"title": title, "action": "edit"}, timeout=30).text
    return {k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)}


def batch_text(vectors: list[Vector]) -> str:
    return "".join(f"{v.text}{CLOSERS}xssmark{v.id}q\n\n" for v in vectors)


def plant(base: str, vectors: list[Vector], report: Report) -> dict[str, list[str]]:
    """Save every vector where it belongs; returns the URLs to load, by surface."""
    p = Planter(base)
    for title, text in TEMPLATES.items():
        assert p.save(title, text) == 303, title
    urls: dict[str, list[str]] = {"page": [], "meta": [], "search": []}
    page_vectors = [v for v in vectors if v.surface == "page"]
    for start in range(0, len(page_vectors), BATCH):
        group = page_vectors[start : start + BATCH]
        title = f"Xss batch {start // BATCH + 1}"
        assert p.save(title, batch_text(group), summary="batch", new=True) == 303, title
        report.planted.update(v.id for v in group)
        key = title.replace(" ", "_")
        urls["page"] += [f"/wiki/{key}", f"/w/index.php?title={key}&diff=cur"]
        urls["page"].append(f"/w/api.php?action=parse&page={key}&format=jsonfm")
        for v in group:
            report.pages_of[v.id] = [f"/wiki/{key}"]
    _plant_metadata(p, vectors, report, urls)
    return urls


def _plant_metadata(p: Planter, vectors: list[Vector], report: Report, urls: dict[str, list[str]]) -> None:
    from urllib.parse import quote

    assert p.save("Xss summaries", "start") == 303
    for v in vectors:
        if v.surface == "title":
            status = p.save(v.text, f"xssmark{v.id}q title page", summary=f"title {v.id}", new=True)
            if status != 303:
                report.refused[v.id] = status
                continue
            key = quote(v.text.replace(" ", "_"))
            urls["meta"] += [f"/wiki/{key}", f"/w/index.php?title={key}&action=history"]
        elif v.surface == "summary":
            assert p.save("Xss summaries", f"edit for vector {v.id}", summary=v.text) == 303
        elif v.surface == "user":
            session = p.account(v.text)
            if isinstance(session, int):
                report.refused[v.id] = session
                continue
            assert p.save("Xss users", f"edit by vector {v.id}", session=session) == 303
            name = quote(v.text.replace(" ", "_"))
            urls["meta"] += [f"/wiki/User:{name}", f"/w/index.php?title=User:{name}&action=history"]
        elif v.surface == "search":
            urls["search"].append("/w/index.php?title=Special:Search&fulltext=1&search=" + quote(v.text))
        report.planted.add(v.id)
    urls["meta"] += [
        "/w/index.php?title=Xss_summaries&action=history",
        "/w/index.php?title=Xss_summaries&diff=cur&oldid=prev",
        "/w/index.php?title=Xss_users&action=history",
        "/wiki/Special:RecentChanges?limit=500",
        "/w/api.php?action=query&list=recentchanges&rcprop=title|comment|user|parsedcomment&rclimit=500",
        "/w/api.php?action=query&list=recentchanges&rcprop=title|comment|user|parsedcomment&format=json",
        "/wiki/Special:Log",
        "/wiki/Special:AllPages",
    ]
    urls["search"] += [
        "/w/index.php?title=Special:Search&fulltext=1&search=xssmark",
        "/w/index.php?title=Special:Search&fulltext=1&search=alert",
        "/w/index.php?title=Special:Search&fulltext=1&search=onmouseover",
        "/w/index.php?title=Special:Search&fulltext=1&search=Xss+title",
        "/w/api.php?action=opensearch&search=Xss&format=jsonfm",
    ]


class Browser:
    """One Chromium and one context; several tabs load URL after URL in parallel and probe each."""

    def __init__(self, base: str, report: Report, tabs: int = 2) -> None:
        self.base, self.report, self.tabs = base, report, tabs
        self.current: dict[object, str] = {}  # tab -> the URL it is on, to attribute findings

    async def start(self, playwright) -> None:
        from tests.e2e.conftest import LAUNCH_ARGS

        self.browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        self.context = await self.browser.new_context(bypass_csp=True, java_script_enabled=True)
        await self.context.add_init_script(INIT_SCRIPT)
        await self.context.route("**/*", self._route)
        self.pages = [await self._new_tab() for _ in range(self.tabs)]

    async def _new_tab(self):
        page = await self.context.new_page()
        page.on("dialog", lambda dialog, page=page: self._dialog(page, dialog))
        page.on("popup", lambda popup, page=page: self._finding(page, "popup", popup.url))
        return page

    def _finding(self, page, kind: str, detail: str) -> None:
        self.report.findings.append(Finding(self.current.get(page, "?"), kind, detail))

    def _dialog(self, page, dialog) -> None:
        self._finding(page, "dialog", f"{dialog.type}: alert({dialog.message})")
        asyncio.ensure_future(dialog.dismiss())

    async def _route(self, route) -> None:
        url = route.request.url
        if (
            url.startswith(self.base + "/")
            or url == self.base
            or url.startswith(("data:", "blob:", "about:"))
        ):
            await route.continue_()
            return
        try:
            page = route.request.frame.page
        except Exception:  # noqa: BLE001 - a request of a closed frame: attribute it to no tab
            page = None
        self._finding(page, "foreign-request", url)
        await route.abort()

    async def load(self, page, path: str) -> list[int]:
        """Load one URL in `page`, record what happened; returns the vector markers visible on it."""
        self.current[page] = path
        self.report.loads += 1
        try:
            started = time.monotonic()
            await page.goto(self.base + path, wait_until="load", timeout=60_000)
            loaded = time.monotonic()
            result = await page.evaluate(PROBE)
            self.report.seconds_loading += loaded - started
            self.report.seconds_probing += time.monotonic() - loaded
        except Exception as exc:  # noqa: BLE001 - a navigation away (e.g. meta refresh) is itself a finding
            self._finding(page, "execution", f"navigation or error: {exc!s:.200}")
            return []
        self._record(page, result)
        return result["marks"]

    def _record(self, page, result: dict) -> None:
        for hit in result["hits"]:
            self._finding(page, "execution", hit.replace("alert:", "alert(", 1) + ")")
        for item in result["residue"]:
            self._finding(page, "residue", item)

    async def load_all(self, paths: list[str]) -> dict[str, list[int]]:
        """Load every path, spread over the tabs; returns the markers seen on each."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        for path in paths:
            queue.put_nowait(path)
        marks: dict[str, list[int]] = {}

        async def worker(page) -> None:
            while not queue.empty():
                path = queue.get_nowait()
                marks[path] = await self.load(page, path)

        await asyncio.gather(*(worker(page) for page in self.pages))
        return marks

    async def control(self) -> list[Finding]:
        """A positive control: HTML that does run script must be caught, or the proof proves nothing."""
        page = self.pages[0]
        await page.goto(self.base + "/wiki/Special:BlankPage", wait_until="load")
        before = len(self.report.findings)
        self.current[page] = "(control)"
        await page.set_content(
            '<img src="/x" onerror="alert(9001)"><a href="javascript:alert(9002)">x</a>'
            '<img src="//evil.invalid/9003"><div class="mw-parser-output"><form></form></div>',
            wait_until="load",
        )
        self._record(page, await page.evaluate(PROBE))
        caught = self.report.findings[before:]
        del self.report.findings[before:]
        return caught

    async def close(self) -> None:
        await self.context.close()
        await self.browser.close()
