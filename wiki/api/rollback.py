"""action=rollback: revert the last editor's consecutive edits to a page."""

from __future__ import annotations

from wiki import recent
from wiki.api import access, register
from wiki.api.edit import target_title
from wiki.api.errors import ApiError, missing_param
from wiki.api.params import param
from wiki.pages import rollback as rollbacks

ROLLBACK = [
    param("title", "title", help="Title of the page to roll back."),
    param("pageid", "integer", help="Page id of the page to roll back (instead of the title)."),
    param("user", required=True, help="Name of the user whose edits are to be rolled back."),
    param("summary", default="", help="Custom edit summary (default: MediaWiki's standard one)."),
    param("markbot", "boolean", help="Mark the reverted edits and the revert as bot edits."),
    param("token", required=True, help="A rollback token from meta=tokens.", extra={"tokentype": "rollback"}),
]


@register(
    "rollback",
    "Undo the last edit(s) of the last editor of a page.",
    params=ROLLBACK,
    post=True,
    token="token",
)
def rollback(api) -> dict:
    title = target_title(api)
    name = (api.params.get("user") or "").replace("_", " ").strip()
    if not name:
        raise missing_param("user")
    access.require(api.user, "rollback", title)
    access.require(api.user, "edit", title)
    granted = set(access.rights(api.user))
    markbot = api.params.flag("markbot") and bool(granted & {"markbotedits", "bot"})
    flags = recent.Flags(autopatrol="autopatrol" in granted)
    try:
        done = rollbacks.rollback(
            title,
            name,
            actor=access.actor(api.user),
            summary=api.params.get("summary") or "",
            markbot=markbot,
            flags=flags,
        )
    except rollbacks.RollbackError as exc:
        raise ApiError(exc.code, str(exc)) from None
    return {
        "rollback": {
            "title": title.prefixed_text,
            "pageid": done.page.id,
            "summary": done.summary,
            "revid": done.revision.id,
            "old_revid": done.last.id,
            "last_revid": done.restored.id,
        }
    }
