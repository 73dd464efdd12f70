"""Issue 15 item 2: `create-admin` does not hand sysop rights to an account a squatter registered
first; with --force it takes the account over (the operator's password, every session ended)."""

from __future__ import annotations

from tests.api.helpers import ApiClient

from .conftest import anonymous

SQUATTER_PASSWORD = "squatters own password"
OPERATOR_PASSWORD = "the keys of the server room"


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["create-admin", *args])


def _groups(app, name: str) -> list[str]:
    from wiki.access import accounts

    with app.app_context():
        return accounts.find_user(name).group_list


def _logs_in(app, name: str, password: str, ip: str) -> bool:
    return ApiClient(anonymous(app, ip).client).login(name, password)["result"] == "Success"


def _userinfo(wc) -> dict:
    return ApiClient(wc.client).get(action="query", meta="userinfo")["query"]["userinfo"]


def test_create_admin_refuses_an_account_someone_registered_first(app):
    squatter = anonymous(app, "203.0.113.99")
    assert squatter.login("Root", SQUATTER_PASSWORD).status_code == 303
    result = _run(app, "Root", "--password", OPERATOR_PASSWORD)
    assert result.exit_code != 0
    assert "already exists" in result.output and "--force" in result.output
    assert "sysop" not in _groups(app, "Root")
    assert _logs_in(app, "Root", SQUATTER_PASSWORD, "198.51.100.20")  # nothing changed
    assert not _logs_in(app, "Root", OPERATOR_PASSWORD, "198.51.100.21")


def test_create_admin_force_sets_the_password_and_ends_the_squatters_sessions(app):
    squatter = anonymous(app, "203.0.113.99")
    assert squatter.login("Root", SQUATTER_PASSWORD).status_code == 303
    assert _userinfo(squatter)["name"] == "Root"
    result = _run(app, "Root", "--password", OPERATOR_PASSWORD, "--force")
    assert result.exit_code == 0, result.output
    assert "password was set" in result.output and "sessions were ended" in result.output
    assert "anon" in _userinfo(squatter)  # the squatter is logged out
    assert _groups(app, "Root") == ["bureaucrat", "sysop"]
    assert not _logs_in(app, "Root", SQUATTER_PASSWORD, "198.51.100.22")
    assert _logs_in(app, "Root", OPERATOR_PASSWORD, "198.51.100.23")


def test_create_admin_makes_a_new_sysop_with_a_sysop_strength_password(app):
    result = _run(app, "Operator", "--password", "nine char")
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    result = _run(app, "Operator", "--password", OPERATOR_PASSWORD)
    assert result.exit_code == 0 and "new sysop and bureaucrat account" in result.output
    assert _groups(app, "Operator") == ["bureaucrat", "sysop"]
