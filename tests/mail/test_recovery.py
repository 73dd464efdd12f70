"""Accounts that can be recovered, through HTTP, with the mail read from a real SMTP server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import close_app, make_app
from tests.helpers import WikiClient, form_fields

PASSWORD = "correct horse battery"
LINK = re.compile(r"https?://\S+")


def sign_up(client, name: str, email: str = "", password: str = PASSWORD):
    html = client.get("/wiki/Special:CreateAccount").get_data(as_text=True)
    data = {
        "wpName": name,
        "wpPassword": password,
        "wpRetype": password,
        "wpEmail": email,
        **form_fields(html),
    }
    return client.post("/w/index.php?title=Special:CreateAccount", data=data)


def post_form(client, path: str, **fields):
    """GET the page at `path`, then POST its form with `fields` (the edit token included)."""
    html = client.get(path).get_data(as_text=True)
    return client.post(index_php(path), data={**form_fields(html), **fields})


def index_php(path: str) -> str:
    """/w/index.php?title=... for /wiki/..., where forms post."""
    return path if path.startswith("/w/") else "/w/index.php?title=" + path.removeprefix("/wiki/")


def link_in(message, page: str) -> str:
    """The path and query of the link to Special:`page` in a mail."""
    [url] = [u for u in LINK.findall(message.get_content()) if f"Special:{page}&token=" in u]
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def confirmed(client, name: str, smtp_server, count: int) -> None:
    """Sign up with an address and confirm it with the link mailed."""
    assert sign_up(client, name, f"{name.lower()}@example.org").status_code == 303
    received = smtp_server.wait_for(count)
    assert client.get(link_in(received[count - 1], "ConfirmEmail")).status_code == 200


def reset_answer(client, who: str) -> tuple[int, str]:
    resp = post_form(client, "/wiki/Special:PasswordReset", wpUsername=who)
    html = resp.get_data(as_text=True)
    return resp.status_code, re.search(r'<div id="mw-content-text".*?</div>', html, re.S).group(0)


def login(app, name: str, password: str) -> int:
    return WikiClient(app.test_client()).login(name, password, create=False).status_code


def test_a_reset_mail_arrives_and_its_link_works_once(mail_app, smtp_server):
    owner = mail_app.test_client()
    assert sign_up(owner, "Alice", "alice@example.org").status_code == 303
    assert smtp_server.wait_for(1)[0]["Subject"] == "Confirm your e-mail address"

    stranger = mail_app.test_client()
    status, _ = reset_answer(stranger, "Alice")
    assert status == 200
    reset = smtp_server.wait_for(2)[1]
    assert reset["To"] == "alice@example.org" and reset["Subject"] == "Password reset"
    path = link_in(reset, "PasswordReset")

    assert stranger.get(path).status_code == 200
    assert stranger.get(path).headers["Referrer-Policy"] == "no-referrer"
    token = path.partition("token=")[2]
    assert stranger.get(f"/wiki/Special:PasswordReset/{token}").status_code == 200  # the path form too
    weak = post_form(stranger, path, wpNewPassword="short", wpRetype="short")
    assert weak.status_code == 400  # the policy applies, and the link still works
    done = post_form(stranger, path, wpNewPassword="a brand new secret", wpRetype="a brand new secret")
    assert done.status_code == 200 and "Your password has been changed" in done.get_data(as_text=True)

    assert login(mail_app, "Alice", "a brand new secret") == 303
    assert login(mail_app, "Alice", PASSWORD) == 200  # the old password is refused
    prefs = owner.get("/wiki/Special:Preferences")
    assert prefs.status_code == 303 and "Special:UserLogin" in prefs.headers["Location"]  # sessions ended

    again = stranger.post(
        index_php(path), data={"wpNewPassword": "another secret 123", "wpRetype": "another secret 123"}
    )
    assert again.status_code == 404 and stranger.get(path).status_code == 404
    assert login(mail_app, "Alice", "another secret 123") == 200


def test_the_answer_is_the_same_whether_the_account_exists_or_not(mail_app, smtp_server):
    client = mail_app.test_client()
    assert sign_up(client, "Bob", "bob@example.org").status_code == 303
    assert sign_up(mail_app.test_client(), "Carol").status_code == 303  # no address
    smtp_server.wait_for(1)
    answers = {
        reset_answer(mail_app.test_client(), who)
        for who in ("Bob", "bob@example.org", "Nobody at all", "nobody@example.org", "Carol", "")
    }
    assert len(answers) == 1
    [(status, body)] = answers
    assert status == 200 and "If this is an account of this wiki" in body
    received = smtp_server.wait_for(3, timeout=5)
    assert [m["To"] for m in received] == ["bob@example.org"] * 3  # confirmation, by name, by address


def test_an_expired_reset_link_is_refused(mail_app, smtp_server):
    from wiki.extensions import db
    from wiki.models import AccountToken, utcnow

    assert sign_up(mail_app.test_client(), "Dora", "dora@example.org").status_code == 303
    reset_answer(mail_app.test_client(), "Dora")
    path = link_in(smtp_server.wait_for(2)[1], "PasswordReset")
    with mail_app.app_context():  # 24 hours later
        db.session.execute(db.update(AccountToken).values(expires=utcnow()))
        db.session.commit()
    client = mail_app.test_client()
    assert client.get(path).status_code == 404
    fields = {"wpNewPassword": "fresh secret 12345", "wpRetype": "fresh secret 12345"}
    assert client.post(index_php(path), data=fields).status_code == 404
    assert login(mail_app, "Dora", "fresh secret 12345") == 200


def test_resets_are_throttled_per_account_quietly_and_per_address_openly(mail_app, smtp_server):
    assert sign_up(mail_app.test_client(), "Erin", "erin@example.org").status_code == 303
    client = mail_app.test_client()
    answers = [reset_answer(client, "Erin") for _ in range(5)]
    assert len(set(answers)) == 1 and answers[0][0] == 200
    received = smtp_server.wait_for(6, timeout=4)
    assert [m["Subject"] for m in received].count("Password reset") == 3  # the account's limit
    for _ in range(5):
        reset_answer(client, "Someone else")
    resp = post_form(client, "/wiki/Special:PasswordReset", wpUsername="Erin")
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0


def test_an_address_given_at_sign_up_is_confirmed_by_its_link_once(mail_app, smtp_server):
    client = mail_app.test_client()
    assert sign_up(client, "Fay", "fay@example.org").status_code == 303
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "fay@example.org"
    assert "(not confirmed)" in client.get("/wiki/Special:Preferences").get_data(as_text=True)
    path = link_in(mail, "ConfirmEmail")
    assert client.get(path).status_code == 200
    assert "(confirmed)" in client.get("/wiki/Special:Preferences").get_data(as_text=True)
    assert client.get(path).status_code == 404
    assert client.get("/wiki/Special:ConfirmEmail/forged-token").status_code == 404
    token = path.partition("token=")[2]
    assert client.get(f"/wiki/Special:ConfirmEmail/{token}").status_code == 404  # the path form: used


def test_a_malformed_address_at_sign_up_is_refused(mail_app):
    client = mail_app.test_client()
    resp = sign_up(client, "Gus", "not an address")
    assert resp.status_code == 400 and "is not a valid e-mail address" in resp.get_data(as_text=True)
    assert login(mail_app, "Gus", PASSWORD) == 200  # no account was made


def test_change_email_asks_the_password_and_confirms_the_new_address(mail_app, smtp_server):
    client = mail_app.test_client()
    confirmed(client, "Hal", smtp_server, 1)
    wrong = post_form(client, "/wiki/Special:ChangeEmail", wpPassword="wrong", wpNewEmail="new@example.org")
    assert wrong.status_code == 400
    bad = post_form(client, "/wiki/Special:ChangeEmail", wpPassword=PASSWORD, wpNewEmail="new@")
    assert bad.status_code == 400
    good = post_form(client, "/wiki/Special:ChangeEmail", wpPassword=PASSWORD, wpNewEmail="new@example.org")
    assert good.status_code == 200
    received = smtp_server.wait_for(3)
    assert {m["To"] for m in received[1:]} == {"hal@example.org", "new@example.org"}
    [confirm] = [m for m in received[1:] if m["To"] == "new@example.org"]
    assert "(not confirmed)" in client.get("/wiki/Special:Preferences").get_data(as_text=True)
    assert client.get(link_in(confirm, "ConfirmEmail")).status_code == 200
    assert "new@example.org (confirmed)" in client.get("/wiki/Special:Preferences").get_data(as_text=True)


def test_email_user_is_off_by_default(mail_app):
    client = mail_app.test_client()
    assert sign_up(client, "Ivy").status_code == 303
    assert client.get("/wiki/Special:EmailUser/Ivy").status_code == 403


@pytest.fixture
def emailuser_app(database_url, instance_dir, smtp_server):
    app = make_app(database_url, instance_dir, WIKI_SMTP_URL=smtp_server.url, WIKI_EMAIL_USER=True)
    yield app
    app.extensions["wiki.mail.sender"].stop()
    close_app(app)


def test_email_user_when_on_reaches_confirmed_addresses_only(emailuser_app, smtp_server):
    sender, target = emailuser_app.test_client(), emailuser_app.test_client()
    confirmed(target, "Jay", smtp_server, 1)
    assert sign_up(sender, "Kim").status_code == 303  # no address yet
    refused = post_form(sender, "/wiki/Special:EmailUser/Jay", wpSubject="Hi", wpText="Hello")
    assert refused.status_code == 403 and "confirmed e-mail address" in refused.get_data(as_text=True)
    post_form(sender, "/wiki/Special:ChangeEmail", wpPassword=PASSWORD, wpNewEmail="kim@example.org")
    assert sender.get(link_in(smtp_server.wait_for(2)[1], "ConfirmEmail")).status_code == 200
    sent = post_form(sender, "/wiki/Special:EmailUser/Jay", wpSubject="Hi Jay", wpText="About the page.")
    assert sent.status_code == 200
    mail = smtp_server.wait_for(3)[2]
    assert mail["To"] == "jay@example.org" and mail["Subject"] == "Hi Jay"
    assert "About the page." in mail.get_content() and "kim@example.org" not in mail.get_content()
    assert sign_up(emailuser_app.test_client(), "Lee").status_code == 303
    assert post_form(sender, "/wiki/Special:EmailUser/Lee", wpSubject="a", wpText="b").status_code == 403
    assert sender.get("/wiki/Special:EmailUser/No_such_user").status_code == 404


def test_a_user_talk_edit_by_someone_else_mails_the_owner_who_asked(mail_app, smtp_server):
    owner = mail_app.test_client()
    confirmed(owner, "Max", smtp_server, 1)
    prefs = post_form(owner, "/wiki/Special:Preferences", wpEmailPrefs="1", wpEmailOnTalk="1")
    assert prefs.status_code == 200
    assert WikiClient(owner).edit("User_talk:Max", "My own note.").status_code == 303
    visitor = mail_app.test_client()
    assert sign_up(visitor, "Ned").status_code == 303
    assert WikiClient(visitor).edit("User_talk:Max", "Hello Max.", summary="greeting").status_code == 303
    received = smtp_server.wait_for(2)
    assert len(received) == 2
    assert received[1]["To"] == "max@example.org" and "Ned" in received[1]["Subject"]
    assert "greeting" in received[1].get_content()
    post_form(owner, "/wiki/Special:Preferences", wpEmailPrefs="1")  # unticked
    assert WikiClient(visitor).edit("User_talk:Max", "Hello again.").status_code == 303
    assert len(smtp_server.wait_for(3, timeout=3)) == 2


def test_the_api_resetpassword_mails_a_link_and_answers_the_same_for_unknown_users(mail_app, smtp_server):
    from tests.api.helpers import ApiClient

    assert sign_up(mail_app.test_client(), "Olga", "olga@example.org").status_code == 303
    api = ApiClient(mail_app.test_client())
    token = api.token()
    answers = [api.post(action="resetpassword", user=who, token=token) for who in ("Olga", "Nobody here")] + [
        api.post(action="resetpassword", email="olga@example.org", token=token)
    ]
    assert answers == [{"resetpassword": {"status": "success"}}] * 3
    received = smtp_server.wait_for(3)
    assert [m["Subject"] for m in received] == [
        "Confirm your e-mail address",
        "Password reset",
        "Password reset",
    ]
    client = mail_app.test_client()
    path = link_in(received[1], "PasswordReset")
    assert (
        post_form(client, path, wpNewPassword="via the api 12345", wpRetype="via the api 12345").status_code
        == 200
    )
    assert login(mail_app, "Olga", "via the api 12345") == 303
    assert api.post(action="resetpassword", user="Olga", token="x")["error"]["code"] == "badtoken"
    assert api.post(action="resetpassword", token=token)["error"]["code"] == "missingparam"
