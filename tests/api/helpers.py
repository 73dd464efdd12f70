"""Calling /w/api.php through the Flask test client, as a bot would."""

from __future__ import annotations

import io

from tests.helpers import api_signup_answer


class ApiClient:
    def __init__(self, client, formatversion: int = 1):
        self.client = client
        self.formatversion = formatversion

    def _params(self, params: dict) -> dict:
        out = {"format": "json", **params}
        if self.formatversion == 2:
            out.setdefault("formatversion", "2")
        return out

    def get(self, **params) -> dict:
        resp = self.client.get("/w/api.php", query_string=self._params(params))
        assert resp.status_code == 200, resp.status_code
        return resp.get_json()

    def post(self, **params) -> dict:
        resp = self.client.post("/w/api.php", data=self._params(params))
        assert resp.status_code == 200, resp.status_code
        return resp.get_json()

    def token(self, kind: str = "csrf") -> str:
        return self.get(action="query", meta="tokens", type=kind)["query"]["tokens"][f"{kind}token"]

    def edit(self, title: str, text: str, **params) -> dict:
        return self.post(action="edit", title=title, text=text, token=self.token(), **params)

    def upload(self, filename: str, data: bytes, **params) -> dict:
        """action=upload of `data` as multipart, with this session's csrf token."""
        form = {"action": "upload", "filename": filename, "token": self.token(), **params}
        resp = self.client.post(
            "/w/api.php",
            data={**self._params(form), "file": (io.BytesIO(data), filename)},
            content_type="multipart/form-data",
        )
        assert resp.status_code == 200, resp.status_code
        return resp.get_json()

    def create_account(self, **params) -> dict:
        """action=createaccount, answering the CAPTCHA the first answer asks (as a person would)."""
        out = self.post(action="createaccount", **params)["createaccount"]
        if out["status"] == "UI":
            params.pop("createreturnurl", None)
            answer = api_signup_answer(out)
            out = self.post(action="createaccount", createcontinue="1", **params, **answer)["createaccount"]
        return out

    def login(self, name: str, password: str) -> dict:
        token = self.token("login")
        return self.post(action="login", lgname=name, lgpassword=password, lgtoken=token)["login"]


def make_user(app, name: str, password: str, groups: str = "") -> None:
    with app.app_context():
        from wiki.access import accounts

        accounts.create_user(name, password, groups=groups)


def logged_in(app, client, name: str, password: str = "quiet-harbour-71", groups: str = "") -> ApiClient:
    """An API client of `client`, logged in as `name` (made first)."""
    make_user(app, name, password, groups)
    api = ApiClient(client)
    api.login(name, password)
    return api
