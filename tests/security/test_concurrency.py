"""No lost edits: 16 clients edit the same 3 pages 25 times each through HTTP, each from the revision it
last read. Every save is a new revision or an explicit conflict; nothing else, nothing lost."""

from __future__ import annotations

import re
import threading
from collections import Counter
from html import unescape

import pytest
import requests

from .consistency import app_for, check_index, database_problems, links_problems, wait_for_outbox

# Heavy (live servers, many trials, kills): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress

CLIENTS, ROUNDS, PAGES = 16, 25, ("Busy A", "Busy B", "Busy C")
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def _initial(page: str) -> str:
    return "Shared: start\n\n" + "\n\n".join(f"Line {k}: start" for k in range(CLIENTS))


def _client(base: str, k: int, outcomes: Counter, saved: list, errors: list) -> None:
    http = requests.Session()
    for n in range(ROUNDS):
        page = PAGES[(k + n) % len(PAGES)]
        try:
            html = http.get(f"{base}/w/index.php", params={"title": page, "action": "edit"}, timeout=60).text
            fields = {name: unescape(v) for name, v in HIDDEN.findall(html)}
            text = unescape(
                re.search(r'<textarea id="wpTextbox1"[^>]*>(.*?)</textarea>', html, re.S).group(1)
            )
            mine = f"Line {k}: client {k} round {n} links [[Target {k} {n}]]"
            text = re.sub(rf"^Line {k}: .*$", mine, text, flags=re.M)
            if n % 4 == 3:  # everyone also rewrites the shared line now and then: real conflicts
                text = re.sub(r"^Shared: .*$", f"Shared: client {k} round {n}", text, flags=re.M)
            resp = http.post(
                f"{base}/w/index.php",
                params={"title": page, "action": "submit"},
                data={**fields, "wpTextbox1": text, "wpSummary": f"c{k} r{n}", "wpSave": "1"},
                timeout=120,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            errors.append(f"client {k} round {n}: {exc}")
            continue
        outcomes[resp.status_code] += 1
        if resp.status_code == 303:
            saved.append((page, mine))
        elif resp.status_code == 409:
            assert "Edit conflict" in resp.text
        else:
            errors.append(f"client {k} round {n}: HTTP {resp.status_code}")


def test_sixteen_clients_lose_no_edit(live_server):
    http = requests.Session()
    for page in PAGES:
        form = http.get(f"{live_server.url}/w/index.php", params={"title": page, "action": "edit"})
        assert form.status_code == 200, (form.status_code, form.text[-3000:])
        data = {**dict(HIDDEN.findall(form.text)), "wpTextbox1": _initial(page), "wpSave": "1"}
        saved = http.post(f"{live_server.url}/w/index.php?title={page}&action=submit", data=data)
        assert saved.ok, (saved.status_code, saved.text[-3000:])
    outcomes, saved, errors = Counter(), [], []
    threads = [
        threading.Thread(target=_client, args=(live_server.url, k, outcomes, saved, errors))
        for k in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    pending = wait_for_outbox(live_server.env["WIKI_DATABASE_URL"])
    live_server.stop()
    print(f"concurrency: {dict(outcomes)} (303 saved, 409 conflict); errors: {errors[:5]}")
    assert not errors
    assert pending == 0, f"{pending} search updates still pending after 30 s"
    assert outcomes[303] + outcomes[409] == CLIENTS * ROUNDS
    assert outcomes[303] > 0
    env = live_server.env
    app = app_for(env)
    try:
        with app.app_context():
            from wiki import pages, site
            from wiki.extensions import db
            from wiki.models import Revision

            texts: dict[str, list[str]] = {}
            for page in PAGES:
                row = pages.get(site.parse_title(page))
                texts[page] = list(
                    db.session.scalars(db.select(Revision.text).where(Revision.page_id == row.id))
                )
            revisions = sum(len(v) for v in texts.values()) - len(PAGES)
            assert revisions == outcomes[303], f"{revisions} revisions for {outcomes[303]} successful saves"
            lost = [(p, line) for p, line in saved if not any(line in t for t in texts[p])]
            assert not lost, f"acknowledged edits missing from every revision: {lost[:3]}"
        assert links_problems(app) == []
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    assert database_problems(env["WIKI_DATABASE_URL"]) == []
    report = check_index(env, "--dry-run")
    assert "agrees with the database" in report, report
