"""Test helpers that act as a user would: read forms, submit them."""

from __future__ import annotations

import re
from html import unescape

FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


NUMBERS = "zero one two three four five six seven eight nine ten".split()
QUESTION = re.compile(r"What is (\w+) plus (\w+)\?")


def solve_captcha(question: str) -> str:
    """The answer to the spam defence's question, as a person would give it."""
    a, b = QUESTION.search(question).groups()
    return str(NUMBERS.index(a) + NUMBERS.index(b))


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields of a form, and the answer to its CAPTCHA when it shows one."""
    fields = {name: unescape(value) for name, value in FIELD.findall(html)}
    if "wpCaptchaId" in fields:
        fields["wpCaptchaWord"] = solve_captcha(html)
    return fields


def api_signup_answer(reply: dict) -> dict[str, str]:
    """captchaId/captchaWord answering the CAPTCHA of a createaccount or clientlogin UI reply."""
    fields = reply["requests"][0]["fields"]
    return {
        "captchaId": fields["captchaId"]["value"],
        "captchaWord": solve_captcha(fields["captchaInfo"]["value"]),
    }


class WikiClient:
    def __init__(self, client):
        self.client = client

    def edit_form(self, title: str, **params) -> dict[str, str]:
        resp = self.client.get("/w/index.php", query_string={"title": title, "action": "edit", **params})
        assert resp.status_code == 200, resp.status_code
        html = resp.get_data(as_text=True)
        fields = form_fields(html)
        match = re.search(r'<textarea id="wpTextbox1"[^>]*>(.*?)</textarea>', html, re.S)
        fields["wpTextbox1"] = unescape(match.group(1)) if match else ""
        fields["wpSummary"] = unescape(re.search(r'id="wpSummary"[^>]*value="([^"]*)"', html).group(1))
        return fields

    def submit(self, title: str, fields: dict[str, str], button: str = "wpSave"):
        data = {**fields, button: "1"}
        return self.client.post(f"/w/index.php?title={title}&action=submit", data=data)

    def edit(self, title: str, text: str, summary: str = "", minor: bool = False, button: str = "wpSave"):
        fields = self.edit_form(title)
        fields.update(wpTextbox1=text, wpSummary=summary)
        if minor:
            fields["wpMinoredit"] = "1"
        return self.submit(title, fields, button)

    def view(self, title: str):
        return self.client.get(f"/wiki/{title}")

    def login(self, name: str, password: str, create: bool = True):
        page = "Special:CreateAccount" if create else "Special:UserLogin"
        html = self.client.get(f"/wiki/{page}").get_data(as_text=True)
        data = {"wpName": name, "wpPassword": password, "wpRetype": password, **form_fields(html)}
        return self.client.post(f"/w/index.php?title={page}", data=data)


def author_query(title: str) -> dict[str, str]:
    """api.php parameters answering who made the latest revision of `title`."""
    return {
        "action": "query",
        "prop": "revisions",
        "rvprop": "user",
        "titles": title,
        "format": "json",
        "formatversion": "2",
    }
