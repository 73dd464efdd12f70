"""Redirects in a browser: the address bar shows the target's URL and a #section redirect scrolls there."""

from __future__ import annotations

import requests

from tests.helpers import form_fields


def _create(base: str, title: str, text: str) -> None:
    """Save a page through the real edit form, as an anonymous reader would."""
    session = requests.Session()
    form = session.get(f"{base}/w/index.php", params={"title": title, "action": "edit"}, timeout=10)
    data = {**form_fields(form.text), "wpTextbox1": text, "wpSummary": "e2e", "wpSave": "1"}
    data.pop("title", None)
    resp = session.post(f"{base}/w/index.php?title={title}&action=submit", data=data, timeout=10)
    # A saved redirect shows itself (redirect=no), as MediaWiki does; other pages show their view.
    assert resp.status_code == 200 and (resp.url.endswith(title) or f"title={title}&redirect=no" in resp.url)


def test_redirect_shows_the_target_url_in_the_address_bar(desktop):
    desktop.goto("/wiki/Transformer_Model")
    desktop.page.wait_for_url("**/wiki/Transformer_architecture")
    assert desktop.page.locator("#firstHeading").inner_text() == "Transformer architecture"
    desktop.assert_clean()


def test_redirect_to_a_section_scrolls_to_it(desktop, seeded_server):
    filler = "\n\n".join(f"Paragraph {i} of a long text." for i in range(80))
    _create(seeded_server.url, "E2e_sectioned_page", f"{filler}\n\n== Far section ==\n{filler}")
    _create(seeded_server.url, "E2e_section_redirect", "#REDIRECT [[E2e sectioned page#Far section]]")
    desktop.goto("/wiki/E2e_section_redirect")
    desktop.page.wait_for_url("**/wiki/E2e_sectioned_page#Far_section")
    # The skin may scroll smoothly: wait for the section to arrive near the top of the window.
    desktop.page.wait_for_function(
        "() => { const t = document.getElementById('Far_section').getBoundingClientRect().top;"
        " return t >= 0 && t < 200; }",
        timeout=5_000,
    )
    desktop.assert_clean()
