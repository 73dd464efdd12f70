"""The real server: gunicorn with two workers, edits through HTTP."""

import re

import requests

from tests.helpers import form_fields


def test_edit_through_real_gunicorn(live_server):
    session = requests.Session()
    base = live_server.url
    form = session.get(f"{base}/w/index.php", params={"title": "Served page", "action": "edit"}, timeout=10)
    assert form.status_code == 200
    fields = form_fields(form.text)
    fields.update(wpTextbox1="Served through '''gunicorn'''.", wpSummary="via gunicorn", wpSave="1")
    saved = session.post(
        f"{base}/w/index.php?title=Served_page&action=submit",
        data=fields,
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 303
    # Any worker serves the new revision: the database, not a process, holds it.
    for _ in range(4):
        view = requests.get(f"{base}/wiki/Served_page", timeout=10)
        assert view.status_code == 200 and "gunicorn" in view.text
    history = requests.get(f"{base}/w/index.php?title=Served_page&action=history", timeout=10).text
    assert "via gunicorn" in history
    assert len(re.findall(r"data-mw-revid", history)) == 1
