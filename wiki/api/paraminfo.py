"""action=paraminfo: a machine-readable description of the modules and parameters served here.

Clients such as pywikibot read it before anything else (which modules exist, their prefixes,
limits, which need a POST), so it describes exactly what this API implements, nothing more.
"""

from __future__ import annotations

from . import MODULES, register

LIMIT = {"type": "limit", "min": 1, "max": 500, "highmax": 5000}
MULTI = {"multi": True, "limit": 50, "lowlimit": 50, "highlimit": 500}


def _p(name: str, kind="string", **extra) -> dict:
    out = {"name": name, "type": kind, **extra}
    if kind == "limit":
        out.update(LIMIT, default=extra.get("default", 10))
    return out


def _multi(name: str, kind="string", **extra) -> dict:
    return {"name": name, "type": kind, **MULTI, **extra}


NS = _multi("namespace", "namespace", default="0")
DIR_ASC = _p("dir", ["ascending", "descending"], default="ascending")
DIR_OLD = _p("dir", ["newer", "older"], default="older")
FILTERREDIR = _p("filterredir", ["all", "nonredirects", "redirects"], default="all")

# path -> (group, prefix, is a generator, parameters)
QUERY_MODULES: dict[str, tuple[str, str, bool, list[dict]]] = {
    "info": (
        "prop",
        "in",
        False,
        [_multi("prop", ["protection", "talkid", "url", "readable", "displaytitle"]), _p("continue")],
    ),
    "revisions": (
        "prop",
        "rv",
        False,
        [
            _multi(
                "prop",
                [
                    "ids",
                    "flags",
                    "timestamp",
                    "user",
                    "userid",
                    "size",
                    "sha1",
                    "contentmodel",
                    "comment",
                    "parsedcomment",
                    "content",
                    "tags",
                    "roles",
                ],
                default="ids|timestamp|flags|comment|user",
            ),
            _multi("slots", ["main"]),
            _p("limit", "limit"),
            _p("section"),
            _p("startid", "integer"),
            _p("endid", "integer"),
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            DIR_OLD,
            _p("user", "user"),
            _p("excludeuser", "user"),
            _p("continue"),
            _p("contentformat", ["text/x-wiki"]),
        ],
    ),
    "categories": (
        "prop",
        "cl",
        True,
        [
            _multi("prop", ["sortkey", "timestamp", "hidden"]),
            _multi("show", ["hidden", "!hidden"]),
            _p("limit", "limit"),
            _p("continue"),
            _multi("categories", "title"),
            DIR_ASC,
        ],
    ),
    "links": (
        "prop",
        "pl",
        True,
        [NS, _p("limit", "limit"), _p("continue"), _multi("titles", "title"), DIR_ASC],
    ),
    "templates": (
        "prop",
        "tl",
        True,
        [NS, _p("limit", "limit"), _p("continue"), _multi("templates", "title"), DIR_ASC],
    ),
    "categoryinfo": ("prop", "ci", False, [_p("continue")]),
    "pageprops": ("prop", "pp", False, [_p("continue"), _multi("prop")]),
    "imageinfo": (
        "prop",
        "ii",
        False,
        [
            _multi(
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
            _p("limit", "limit", default=1),
            _p("continue"),
        ],
    ),
    "allpages": (
        "list",
        "ap",
        True,
        [
            _p("from"),
            _p("continue"),
            _p("to"),
            _p("prefix"),
            _p("namespace", "namespace", default=0),
            FILTERREDIR,
            _p("minsize", "integer"),
            _p("maxsize", "integer"),
            _p("limit", "limit"),
            DIR_ASC,
        ],
    ),
    "backlinks": (
        "list",
        "bl",
        True,
        [
            _p("title", "title"),
            _p("pageid", "integer"),
            _p("continue"),
            NS,
            DIR_ASC,
            FILTERREDIR,
            _p("limit", "limit"),
            _p("redirect", "boolean"),
        ],
    ),
    "categorymembers": (
        "list",
        "cm",
        True,
        [
            _p("title", "title"),
            _p("pageid", "integer"),
            _multi(
                "prop", ["ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp"], default="ids|title"
            ),
            NS,
            _multi("type", ["page", "subcat", "file"], default="page|subcat|file"),
            _p("continue"),
            _p("limit", "limit"),
            _p("sort", ["sortkey", "timestamp"], default="sortkey"),
            _p("dir", ["asc", "desc", "ascending", "descending", "newer", "older"], default="ascending"),
        ],
    ),
    "recentchanges": (
        "list",
        "rc",
        True,
        [
            _p("start", "timestamp"),
            _p("end", "timestamp"),
            DIR_OLD,
            NS,
            _p("user", "user"),
            _p("excludeuser", "user"),
            _multi(
                "prop",
                [
                    "user",
                    "userid",
                    "comment",
                    "parsedcomment",
                    "flags",
                    "timestamp",
                    "title",
                    "ids",
                    "sizes",
                    "redirect",
                    "sha1",
                    "tags",
                ],
                default="title|timestamp|ids",
            ),
            _multi(
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
            _p("limit", "limit"),
            _multi("type", ["edit", "new", "log", "categorize"], default="edit|new|log|categorize"),
            _p("toponly", "boolean"),
            _p("continue"),
        ],
    ),
    "search": (
        "list",
        "sr",
        True,
        [
            _p("search", required=True),
            NS,
            _p("what", ["title", "text", "nearmatch"]),
            _multi(
                "info",
                ["totalhits", "suggestion", "rewrittenquery"],
                default="totalhits|suggestion|rewrittenquery",
            ),
            _multi(
                "prop",
                ["size", "wordcount", "timestamp", "snippet"],
                default="size|wordcount|timestamp|snippet",
            ),
            _p("offset", "limit", default=0),
            _p("limit", "limit"),
        ],
    ),
    "watchlist": ("list", "wl", True, [_p("limit", "limit"), _p("continue"), NS]),
    "siteinfo": (
        "meta",
        "si",
        False,
        [
            _multi(
                "prop",
                [
                    "general",
                    "namespaces",
                    "namespacealiases",
                    "statistics",
                    "usergroups",
                    "restrictions",
                    "rightsinfo",
                    "interwikimap",
                    "specialpagealiases",
                    "magicwords",
                    "extensions",
                    "languages",
                    "skins",
                    "fileextensions",
                    "libraries",
                ],
                default="general",
            )
        ],
    ),
    "userinfo": (
        "meta",
        "ui",
        False,
        [
            _multi(
                "prop",
                [
                    "blockinfo",
                    "hasmsg",
                    "groups",
                    "implicitgroups",
                    "rights",
                    "editcount",
                    "registrationdate",
                    "options",
                    "cancreateaccount",
                ],
            )
        ],
    ),
    "tokens": (
        "meta",
        "",
        False,
        [
            _multi(
                "type",
                ["createaccount", "csrf", "login", "patrol", "rollback", "userrights", "watch"],
                default="csrf",
            )
        ],
    ),
}

ACTION_PARAMS: dict[str, list[dict]] = {
    "query": [],
    "paraminfo": [_multi("modules"), _p("helpformat", ["html", "none", "raw", "wikitext"], default="none")],
    "login": [
        _p("name"),
        _p("password", "password"),
        _p("domain"),
        _p("token", tokentype="login", sensitive=True),
    ],
    "clientlogin": [
        _p("username"),
        _p("password", "password"),
        _p("logintoken", tokentype="login"),
        _p("loginreturnurl"),
        _p("logincontinue", "boolean"),
    ],
    "createaccount": [
        _p("username"),
        _p("password", "password"),
        _p("retype", "password"),
        _p("createtoken", tokentype="createaccount"),
        _p("createreturnurl"),
    ],
    "logout": [_p("token", tokentype="csrf", required=True)],
    "edit": [
        _p("title", "title"),
        _p("pageid", "integer"),
        _p("section"),
        _p("sectiontitle"),
        _p("text", "text"),
        _p("summary"),
        _p("minor", "boolean"),
        _p("notminor", "boolean"),
        _p("bot", "boolean"),
        _p("basetimestamp", "timestamp"),
        _p("starttimestamp", "timestamp"),
        _p("recreate", "boolean"),
        _p("createonly", "boolean"),
        _p("nocreate", "boolean"),
        _p("md5"),
        _p("prependtext", "text"),
        _p("appendtext", "text"),
        _p("undo", "integer"),
        _p("undoafter", "integer"),
        _p("redirect", "boolean"),
        _p("token", tokentype="csrf", required=True),
    ],
    "move": [
        _p("from", "title"),
        _p("fromid", "integer"),
        _p("to", "title", required=True),
        _p("reason"),
        _p("movetalk", "boolean"),
        _p("noredirect", "boolean"),
        _p("token", tokentype="csrf", required=True),
    ],
    "delete": [
        _p("title", "title"),
        _p("pageid", "integer"),
        _p("reason"),
        _p("token", tokentype="csrf", required=True),
    ],
    "parse": [
        _p("title", "title", default="API"),
        _p("text", "text"),
        _p("page", "title"),
        _p("pageid", "integer"),
        _p("oldid", "integer"),
        _p("redirects", "boolean"),
        _multi(
            "prop",
            ["text", "links", "categories", "templates", "sections", "revid", "displaytitle", "wikitext"],
        ),
        _p("section"),
        _p("contentmodel", ["wikitext"]),
    ],
    "opensearch": [
        _p("search", required=True),
        NS,
        _p("limit", "limit"),
        _p("suggest", "boolean"),
        _p("redirects", ["return", "resolve"]),
        _p("format", ["json", "jsonfm"], default="json"),
    ],
}


def _main() -> dict:
    actions = sorted(MODULES)
    return {
        "name": "main",
        "classname": "ApiMain",
        "path": "main",
        "group": "action",
        "prefix": "",
        "parameters": [
            _p("action", actions, default="help", submodules={a: a for a in actions}),
            _p(
                "format",
                ["json", "jsonfm"],
                default="jsonfm",
                submodules={"json": "json", "jsonfm": "jsonfm"},
            ),
            _p("maxlag", "integer"),
            _p("smaxage", "integer", default=0),
            _p("maxage", "integer", default=0),
            _p("assert", ["anon", "bot", "user"]),
            _p("assertuser", "user"),
            _p("requestid"),
            _p("servedby", "boolean"),
            _p("curtimestamp", "boolean"),
            _p("origin"),
            _p("uselang", default="user"),
            _p("formatversion", ["1", "2", "latest"], default="1"),
            _p("utf8", "boolean"),
            _p("ascii", "boolean"),
        ],
    }


def _query() -> dict:
    groups: dict[str, list[str]] = {"prop": [], "list": [], "meta": []}
    for name, (group, _prefix, _gen, _params) in QUERY_MODULES.items():
        groups[group].append(name)
    generators = sorted(n for n, spec in QUERY_MODULES.items() if spec[2])
    params = [
        _multi(group, sorted(names), submodules={n: f"query+{n}" for n in sorted(names)})
        for group, names in groups.items()
    ]
    params += [
        _p("indexpageids", "boolean"),
        _p("export", "boolean"),
        _p("iwurl", "boolean"),
        _p("continue"),
        _p("rawcontinue", "boolean"),
        _multi("titles"),
        _multi("pageids", "integer"),
        _multi("revids", "integer"),
        _p(
            "generator",
            generators,
            submodules={n: f"query+{n}" for n in generators},
            submoduleparamprefix="g",
        ),
        _p("redirects", "boolean"),
        _p("converttitles", "boolean"),
    ]
    return {
        "name": "query",
        "classname": "ApiQuery",
        "path": "query",
        "group": "action",
        "prefix": "",
        "parameters": params,
    }


def describe(path: str) -> dict:
    """One module's entry of paraminfo.modules ({"name", "path", "missing"} when unknown)."""
    if path == "main":
        return _main()
    if path == "query":
        return _query()
    if path.startswith("query+"):
        name = path.split("+", 1)[1]
        if name in QUERY_MODULES:
            group, prefix, generator, params = QUERY_MODULES[name]
            return {
                "name": name,
                "classname": f"ApiQuery{name.title()}",
                "path": path,
                "group": group,
                "prefix": prefix,
                "generator": generator,
                "parameters": params,
            }
    if path in MODULES and path in ACTION_PARAMS:
        module = MODULES[path]
        out = {
            "name": path,
            "classname": f"Api{path.title()}",
            "path": path,
            "group": "action",
            "prefix": "",
            "parameters": ACTION_PARAMS[path],
        }
        if module.post:
            out["mustbeposted"] = True
        if module.token is not None:
            out["mustbeposted"] = True
            out["writerights"] = True
        return out
    return {"name": path.rsplit("+", 1)[-1], "path": path, "missing": True}


@register("paraminfo", "Obtain information about API modules.", params="modules, helpformat")
def paraminfo(api) -> dict:
    params = api.params
    paths = params.list("modules")
    for legacy in ("querymodules", "formatmodules"):
        paths += [f"query+{m}" if legacy == "querymodules" else m for m in params.list(legacy)]
    if params.flag("mainmodule"):
        paths.append("main")
    params.flag("pagesetmodule")
    params.get("helpformat")
    return {"paraminfo": {"helpformat": "none", "modules": [describe(p) for p in paths]}}
