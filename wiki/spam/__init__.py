"""Spam defence, as MediaWiki's ConfirmEdit, SpamBlacklist and TitleBlacklist: a CAPTCHA for
anonymous and new users who add external links, create accounts or keep failing to log in; a link
blacklist (and whitelist) and a title blacklist edited on wiki pages. Every blacklist refusal is
logged as MediaWiki logs it (Special:Log/spamblacklist, Special:Log/titleblacklist: sysops only);
a wrong CAPTCHA answer only asks a new question, as ConfirmEdit's. `WIKI_SPAM_DEFENCE=false` turns
all of it off.

The edges hand in who acts (user, address) and the CAPTCHA answer; nothing here reads the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from wiki import logs, pages, titles
from wiki.extensions import db
from wiki.spam import blacklist, captcha, titleblacklist

Challenge = captcha.Challenge
# Where the renderer finds external links: texts without either cannot have any.
_LINK_HINTS = ("//", "{{")


@dataclass(frozen=True)
class Refusal:
    """Why an action was stopped. `code` is the API's: captcha, spamblacklist, titleblacklist-forbidden."""

    code: str
    message: str
    matches: tuple[str, ...] = ()
    challenge: Challenge | None = None


@dataclass(frozen=True)
class Answer:
    """A CAPTCHA answer as the client sent it (both None when it sent none)."""

    id: str | None = None
    word: str | None = None


def enabled() -> bool:
    return bool(current_app.config["WIKI_SPAM_DEFENCE"])


def _external_links(title: titles.Title, text: str) -> list[str]:
    if not any(hint in text for hint in _LINK_HINTS):
        return []
    return pages.render_text(title, text).external_links


def added_links(title: titles.Title, old_text: str, new_text: str) -> list[str]:
    """External links of `new_text` that `old_text` did not have (as the renderer finds them)."""
    new = _external_links(title, new_text)
    if not new:
        return []
    old = set(_external_links(title, old_text))
    return [url for url in new if url not in old]


def list_problems(title: titles.Title, text: str) -> list[str]:
    """Lines of a blacklist page's text that will be skipped, and why (shown on its preview)."""
    if title.prefixed_text not in (blacklist.BLACKLIST_PAGE, blacklist.WHITELIST_PAGE):
        return []
    return [f"Line {number}: {line}: {why}" for number, line, why in blacklist.parse(text).invalid]


def _log(
    kind: str, title: titles.Title | None, user, ip: str, comment: str, params: dict, name: str = ""
) -> None:
    """A blacklist hit, in the log of its kind (MediaWiki's `hit` action); without a title, on the
    user page of `name` (an account name refused) or of whoever acted."""
    actor = pages.Actor.of(user, ip)
    logs.record(
        kind,
        "hit",
        namespace=title.namespace if title is not None else titles.USER,
        title=title.dbkey if title is not None else (name or actor.name).replace(" ", "_"),
        actor=actor,
        comment=comment,
        params=params,
    )
    db.session.commit()


def _captcha(
    user, ip: str, title: titles.Title | None, answer: Answer, why: str, message: str
) -> Refusal | None:
    """None when the answer is right, else a new challenge (a wrong answer is logged)."""
    if captcha.solve(answer.id, answer.word):
        return None
    if answer.id or answer.word:
        message = "The answer to the question was not right. " + message
    return Refusal("captcha", message, challenge=captcha.new())


def check_edit(
    user, ip: str, title: titles.Title, old_text: str | None, new_text: str, answer: Answer
) -> Refusal | None:
    """Title blacklist (creation, `noedit`), link blacklist and the CAPTCHA for added links."""
    if not enabled():
        return None
    line = titleblacklist.forbidden(user, title, "create" if old_text is None else "edit")
    if line is not None:
        return _title_refusal(user, ip, title, "create" if old_text is None else "edit", line)
    wants_captcha = captcha.needed_for_links(user, ip)
    if not wants_captcha and not blacklist.active():
        return None
    added = added_links(title, old_text or "", new_text)
    refused = blacklist.matches(added)
    if refused:
        listed = ", ".join(refused)
        _log("spamblacklist", title, user, ip, f"Link on the spam blacklist: {listed}", {"urls": refused})
        return Refusal(
            "spamblacklist",
            f"The text you wanted to save was blocked by the spam filter, probably because of a "
            f"link to a blacklisted external site: {listed}",
            matches=tuple(refused),
        )
    if added and wants_captcha:
        return _captcha(
            user,
            ip,
            title,
            answer,
            "addurl",
            "Your edit includes new external links. To help protect against automated spam, "
            "please answer the question below.",
        )
    return None


def _title_refusal(
    user, ip: str, title: titles.Title | None, action: str, line: str, name: str = ""
) -> Refusal:
    shown = name or (title.prefixed_text if title is not None else "")
    _log(
        "titleblacklist",
        title,
        user,
        ip,
        f"{action}: {shown}",
        {"action": action, "line": line, "name": shown},
        name=name,
    )
    return Refusal(
        "titleblacklist-forbidden",
        f'The title "{shown}" has been banned from creation. It matches the following blacklist '
        f"entry: {line}",
    )


def check_move(user, ip: str, new: titles.Title) -> Refusal | None:
    if not enabled():
        return None
    line = titleblacklist.forbidden(user, new, "move")
    return _title_refusal(user, ip, new, "move", line) if line is not None else None


def account_challenge(creator, ip: str | None = None) -> Challenge | None:
    """The question to show on the account creation form, if one is needed."""
    if not enabled() or captcha.skips(creator, ip):
        return None
    return captcha.new()


def check_account(creator, ip: str, name: str, answer: Answer) -> Refusal | None:
    """A new account: title blacklist on the name, and the CAPTCHA."""
    if not enabled():
        return None
    line = titleblacklist.forbidden(creator, name.strip(), "new-account")
    if line is not None:
        return _title_refusal(creator, ip, None, "new-account", line, name=name.strip())
    if captcha.skips(creator, ip):
        return None
    return _captcha(
        creator,
        ip,
        None,
        answer,
        "createaccount",
        "To help protect against automated account creation, please answer the question below.",
    )


def login_challenge(name: str | None, ip: str) -> Challenge | None:
    """The question to show on the login form after repeated failures, if needed."""
    if not enabled() or not captcha.needed_for_login(name, ip):
        return None
    return captcha.new()


def check_login(name: str, ip: str, answer: Answer) -> Refusal | None:
    """Before checking a password: a CAPTCHA after repeated failures for that name or address."""
    if not enabled() or not captcha.needed_for_login(name, ip):
        return None
    return _captcha(
        None,
        ip,
        None,
        answer,
        "badlogin",
        "There have been several failed attempts to log in. Please answer the question below.",
    )


def login_failed(name: str, ip: str) -> None:
    if enabled():
        captcha.login_failed(name, ip)
