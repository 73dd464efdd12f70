"""MediaWiki's limits: each exceeded limit gives a visible message, never a crash or a hang."""

from __future__ import annotations

import socket
import time

from tests.helpers import form_fields


def _timed_view(wiki, title: str, budget: float = 10.0) -> str:
    start = time.monotonic()
    resp = wiki.view(title)
    assert resp.status_code == 200
    assert time.monotonic() - start < budget, f"{title} took too long"
    return resp.get_data(as_text=True)


def test_page_text_over_2_mib_is_refused_with_a_message_and_kept_in_the_form(wiki, client):
    text = "a" * (2 * 1024 * 1024 + 1)
    resp = wiki.edit("Huge", text)
    assert resp.status_code == 413
    html = resp.get_data(as_text=True)
    assert "too long" in html and "2,097,152" in html
    assert client.get("/wiki/Huge").status_code == 404


def test_page_text_of_exactly_2_mib_is_saved(wiki):
    assert wiki.edit("Just fits", "b" * (2 * 1024 * 1024)).status_code == 303


def test_title_over_255_bytes_is_a_bad_title(client):
    resp = client.get("/wiki/" + "é" * 128)  # 256 bytes in UTF-8
    assert resp.status_code == 400 and "Bad title" in resp.get_data(as_text=True)
    assert client.get("/wiki/" + "e" * 255).status_code == 404  # valid, just missing


def test_template_recursion_stops_at_depth_40_with_a_message(wiki):
    for i in range(45):
        wiki.edit(f"Template:Deep{i}", f"{{{{Deep{i + 1}}}}}")
    wiki.edit("Template:Self", "again {{Self}}")
    wiki.edit("Deep page", "{{Deep0}} and {{Self}}")
    html = _timed_view(wiki, "Deep_page")
    assert "depth limit exceeded" in html.lower() or "recursion depth" in html.lower()
    assert "Template loop detected" in html


def test_post_expand_include_size_over_2_mib_omits_templates_visibly(wiki):
    wiki.edit("Template:Chunk", "z" * 600_000)
    wiki.edit("Include bomb", "{{Chunk}}" * 6)
    html = _timed_view(wiki, "Include_bomb")
    assert html.count("z" * 600_000) <= 3
    assert "post-expand include size" in html


def test_too_many_expensive_parser_functions_are_reported(wiki):
    wiki.edit("Costly", "".join(f"{{{{#ifexist:Page {i}|yes|no}}}}" for i in range(150)))
    html = _timed_view(wiki, "Costly")
    assert "expensive parser function" in html.lower()


def test_request_body_over_the_limit_is_refused_before_it_is_read(live_server):
    """Claim a 100 MiB body, send 1 KiB: the server must answer 413 without waiting for the rest."""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /w/index.php?title=Big&action=submit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode()
            + b"wpTextbox1="
            + b"x" * 1024
        )
        start = time.monotonic()
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert time.monotonic() - start < 5


def test_edit_form_of_a_huge_page_still_works(wiki, client):
    wiki.edit("Big but fine", "c" * 1_500_000)
    resp = client.get("/w/index.php?title=Big_but_fine&action=edit")
    assert resp.status_code == 200 and "wpEditToken" in form_fields(resp.get_data(as_text=True))
