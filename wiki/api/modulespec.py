"""The modules and parameters this API implements, as action=paraminfo describes them."""

from __future__ import annotations

from wiki.api.lists import CMPROPS, RCPROPS
from wiki.api.logevents import LEPROPS
from wiki.api.meta import SIPROPS, UIPROPS
from wiki.api.props import INPROPS, RVPROPS
from wiki.api.usercontribs import UCPROPS
from wiki.logs import LOG_TYPES

# The values each module accepts come from the module itself: one list, no drift.

LIMIT = {"type": "limit", "min": 1, "max": 500, "highmax": 5000}
MULTI = {"multi": True, "limit": 50, "lowlimit": 50, "highlimit": 500}


def p(name: str, kind="string", **extra) -> dict:
    out = {"name": name, "type": kind, **extra}
    if kind == "limit":
        out.update(LIMIT, default=extra.get("default", 10))
    return out


def multi(name: str, kind="string", **extra) -> dict:
    return {"name": name, "type": kind, **MULTI, **extra}


NS = multi("namespace", "namespace", default="0")
DIR_ASC = p("dir", ["ascending", "descending"], default="ascending")
DIR_OLD = p("dir", ["newer", "older"], default="older")
FILTERREDIR = p("filterredir", ["all", "nonredirects", "redirects"], default="all")

# path -> (group, prefix, is a generator, parameters)
QUERY_MODULES: dict[str, tuple[str, str, bool, list[dict]]] = {
    "info": (
        "prop",
        "in",
        False,
        [multi("prop", sorted(INPROPS)), p("continue")],
    ),
    "revisions": (
        "prop",
        "rv",
        False,
        [
            multi(
                "prop",
                sorted(RVPROPS),
                default="ids|timestamp|flags|comment|user",
            ),
            multi("slots", ["main"]),
            p("limit", "limit"),
            p("section"),
            p("startid", "integer"),
            p("endid", "integer"),
            p("start", "timestamp"),
            p("end", "timestamp"),
            DIR_OLD,
            p("user", "user"),
            p("excludeuser", "user"),
            p("continue"),
            p("contentformat", ["text/x-wiki"]),
        ],
    ),
    "categories": (
        "prop",
        "cl",
        True,
        [
            multi("prop", ["sortkey", "timestamp", "hidden"]),
            multi("show", ["hidden", "!hidden"]),
            p("limit", "limit"),
            p("continue"),
            multi("categories", "title"),
            DIR_ASC,
        ],
    ),
    "links": (
        "prop",
        "pl",
        True,
        [NS, p("limit", "limit"), p("continue"), multi("titles", "title"), DIR_ASC],
    ),
    "templates": (
        "prop",
        "tl",
        True,
        [NS, p("limit", "limit"), p("continue"), multi("templates", "title"), DIR_ASC],
    ),
    "categoryinfo": ("prop", "ci", False, [p("continue")]),
    "pageprops": ("prop", "pp", False, [p("continue"), multi("prop")]),
    "imageinfo": (
        "prop",
        "ii",
        False,
        [
            multi(
                "prop",
                [
                    "timestamp",
                    "user",
                    "userid",
                    "comment",
                    "url",
                    "size",
                    "sha1",
                    "mime",
                    "metadata",
                    "archivename",
                ],
            ),
            p("limit", "limit", default=1),
            p("continue"),
        ],
    ),
    "allpages": (
        "list",
        "ap",
        True,
        [
            p("from"),
            p("continue"),
            p("to"),
            p("prefix"),
            p("namespace", "namespace", default=0),
            FILTERREDIR,
            p("minsize", "integer"),
            p("maxsize", "integer"),
            p("limit", "limit"),
            DIR_ASC,
        ],
    ),
    "backlinks": (
        "list",
        "bl",
        True,
        [
            p("title", "title"),
            p("pageid", "integer"),
            p("continue"),
            NS,
            DIR_ASC,
            FILTERREDIR,
            p("limit", "limit"),
            p("redirect", "boolean"),
        ],
    ),
    "categorymembers": (
        "list",
        "cm",
        True,
        [
            p("title", "title"),
            p("pageid", "integer"),
            multi("prop", sorted(CMPROPS), default="ids|title"),
            NS,
            multi("type", ["page", "subcat", "file"], default="page|subcat|file"),
            p("continue"),
            p("limit", "limit"),
            p("sort", ["sortkey", "timestamp"], default="sortkey"),
            p("dir", ["asc", "desc", "ascending", "descending", "newer", "older"], default="ascending"),
        ],
    ),
    "logevents": (
        "list",
        "le",
        False,
        [
            multi(
                "prop",
                sorted(LEPROPS),
                default="ids|title|type|user|timestamp|comment|details",
            ),
            p("type", sorted(LOG_TYPES)),
            p("action"),
            p("start", "timestamp"),
            p("end", "timestamp"),
            DIR_OLD,
            p("user", "user"),
            p("title"),
            p("namespace", "namespace"),
            p("continue"),
            p("limit", "limit"),
        ],
    ),
    "recentchanges": (
        "list",
        "rc",
        True,
        [
            p("start", "timestamp"),
            p("end", "timestamp"),
            DIR_OLD,
            NS,
            p("user", "user"),
            p("excludeuser", "user"),
            multi(
                "prop",
                sorted(RCPROPS),
                default="title|timestamp|ids",
            ),
            multi(
                "show",
                [
                    "minor",
                    "!minor",
                    "bot",
                    "!bot",
                    "anon",
                    "!anon",
                    "redirect",
                    "!redirect",
                    "patrolled",
                    "!patrolled",
                    "unpatrolled",
                    "autopatrolled",
                    "!autopatrolled",
                ],
            ),
            p("limit", "limit"),
            multi("type", ["edit", "new", "log", "categorize"], default="edit|new|log|categorize"),
            p("toponly", "boolean"),
            p("continue"),
        ],
    ),
    "search": (
        "list",
        "sr",
        True,
        [
            p("search", required=True),
            NS,
            p("what", ["title", "text", "nearmatch"]),
            multi(
                "info",
                ["totalhits", "suggestion", "rewrittenquery"],
                default="totalhits|suggestion|rewrittenquery",
            ),
            multi(
                "prop",
                ["size", "wordcount", "timestamp", "snippet"],
                default="size|wordcount|timestamp|snippet",
            ),
            p("offset", "limit", default=0),
            p("limit", "limit"),
        ],
    ),
    "usercontribs": (
        "list",
        "uc",
        True,
        [
            multi("user", "user"),
            p("userprefix"),
            p("limit", "limit"),
            p("start", "timestamp"),
            p("end", "timestamp"),
            p("continue"),
            DIR_OLD,
            NS,
            multi(
                "prop",
                sorted(UCPROPS),
                default="ids|title|timestamp|comment|size|flags",
            ),
            p("toponly", "boolean"),
        ],
    ),
    "watchlist": ("list", "wl", True, [p("limit", "limit"), p("continue"), NS]),
    "siteinfo": (
        "meta",
        "si",
        False,
        [
            multi(
                "prop",
                sorted(SIPROPS),
                default="general",
            )
        ],
    ),
    "userinfo": (
        "meta",
        "ui",
        False,
        [
            multi(
                "prop",
                sorted(UIPROPS),
            )
        ],
    ),
    "tokens": (
        "meta",
        "",
        False,
        [
            multi(
                "type",
                ["createaccount", "csrf", "login", "patrol", "rollback", "userrights", "watch"],
                default="csrf",
            )
        ],
    ),
}

ACTION_PARAMS: dict[str, list[dict]] = {
    "query": [],
    "paraminfo": [multi("modules"), p("helpformat", ["html", "none", "raw", "wikitext"], default="none")],
    "login": [
        p("name"),
        p("password", "password"),
        p("domain"),
        p("token", tokentype="login", sensitive=True),
    ],
    "clientlogin": [
        p("username"),
        p("password", "password"),
        p("logintoken", tokentype="login"),
        p("loginreturnurl"),
        p("logincontinue", "boolean"),
    ],
    "createaccount": [
        p("username"),
        p("password", "password"),
        p("retype", "password"),
        p("createtoken", tokentype="createaccount"),
        p("createreturnurl"),
    ],
    "logout": [p("token", tokentype="csrf", required=True)],
    "edit": [
        p("title", "title"),
        p("pageid", "integer"),
        p("section"),
        p("sectiontitle"),
        p("text", "text"),
        p("summary"),
        p("minor", "boolean"),
        p("notminor", "boolean"),
        p("bot", "boolean"),
        p("basetimestamp", "timestamp"),
        p("starttimestamp", "timestamp"),
        p("recreate", "boolean"),
        p("createonly", "boolean"),
        p("nocreate", "boolean"),
        p("md5"),
        p("prependtext", "text"),
        p("appendtext", "text"),
        p("undo", "integer"),
        p("undoafter", "integer"),
        p("redirect", "boolean"),
        p("token", tokentype="csrf", required=True),
    ],
    "move": [
        p("from", "title"),
        p("fromid", "integer"),
        p("to", "title", required=True),
        p("reason"),
        p("movetalk", "boolean"),
        p("noredirect", "boolean"),
        p("token", tokentype="csrf", required=True),
    ],
    "delete": [
        p("title", "title"),
        p("pageid", "integer"),
        p("reason"),
        p("token", tokentype="csrf", required=True),
    ],
    "purge": [multi("titles"), p("forcelinkupdate", "boolean"), p("forcerecursivelinkupdate", "boolean")],
    "protect": [
        p("title", "title"),
        p("pageid", "integer"),
        multi("protections", required=True),
        multi("expiry", default="infinite"),
        p("reason"),
        p("cascade", "boolean"),
        p("token", tokentype="csrf", required=True),
    ],
    "parse": [
        p("title", "title", default="API"),
        p("text", "text"),
        p("page", "title"),
        p("pageid", "integer"),
        p("oldid", "integer"),
        p("redirects", "boolean"),
        multi(
            "prop",
            ["text", "links", "categories", "templates", "sections", "revid", "displaytitle", "wikitext"],
        ),
        p("section"),
        p("contentmodel", ["wikitext"]),
    ],
    "opensearch": [
        p("search", required=True),
        NS,
        p("limit", "limit"),
        p("suggest", "boolean"),
        p("redirects", ["return", "resolve"]),
        p("format", ["json", "jsonfm"], default="json"),
    ],
}
