"""Every request's work is bounded before a view parses it: at most 1,000 parameters."""

from __future__ import annotations

import time


def test_a_million_parameters_are_refused_fast_through_the_api(client):
    body = "&".join(["x="] * 1_000_000)
    started = time.monotonic()
    response = client.post("/w/api.php", data=body, content_type="application/x-www-form-urlencoded")
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "toomanyparams" and "1,000,000 parameters" in error["info"]
    assert len(response.get_data()) < 500  # nothing of the request is echoed back


def test_too_many_query_parameters_are_refused_on_pages(client):
    query = "&".join(f"p{i}=1" for i in range(1001))
    response = client.get("/wiki/Main_Page?" + query)
    assert response.status_code == 400
    assert "at most 1,000 are accepted" in response.get_data(as_text=True)


def test_a_thousand_parameters_still_pass(client):
    query = "&".join(f"p{i}=1" for i in range(997))
    response = client.get("/w/api.php?action=query&meta=siteinfo&format=json&" + query)
    assert response.status_code == 200 and "query" in response.get_json()


def test_form_posts_under_the_bound_keep_their_body(wiki, client):
    assert wiki.edit("Bounded", "Text that must arrive whole.").status_code == 303
    assert "Text that must arrive whole." in client.get("/wiki/Bounded").get_data(as_text=True)


def test_multipart_bodies_are_bounded_by_form_parts(client):
    data = {f"f{i}": "v" for i in range(1100)}
    response = client.post("/w/api.php", data={**data, "format": "json"}, content_type="multipart/form-data")
    # Werkzeug stops at MAX_FORM_PARTS; the API answers MediaWiki's error for an oversized request.
    assert response.get_json()["error"]["code"] == "contenttoobig"
