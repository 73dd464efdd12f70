"""meta=siteinfo, meta=userinfo and meta=tokens."""

from __future__ import annotations

from flask import current_app

from wiki import site, titles
from wiki.api import access
from wiki.api.output import Bool, Node, iso
from wiki.api.params import multi
from wiki.api.registry import submodule
from wiki.models import utcnow

TOKEN_TYPES = (
    "csrf",
    "login",
    "createaccount",
    "patrol",
    "rollback",
    "userrights",
    "watch",
    "deleteglobalaccount",
)
SIPROPS = (
    "general",
    "namespaces",
    "namespacealiases",
    "statistics",
    "interwikimap",
    "specialpagealiases",
    "magicwords",
    "usergroups",
    "extensions",
    "rightsinfo",
    "restrictions",
    "languages",
    "skins",
    "fileextensions",
    "libraries",
    "showhooks",
)


@submodule(
    "siteinfo",
    "meta",
    "si",
    "Return general information about the site.",
    [multi("prop", SIPROPS, default="general", help="Which information to get.")],
)
def siteinfo(api) -> dict:
    props = api.params.list("siprop")
    out: dict = {}
    if "general" in props:
        out["general"] = general()
    if "namespaces" in props:
        out["namespaces"] = namespaces()
    if "namespacealiases" in props:
        out["namespacealiases"] = [
            Node("alias", alias.title(), id=ns) for alias, ns in site.namespaces().aliases.items()
        ]
    if "statistics" in props:
        out["statistics"] = statistics()
    if "usergroups" in props:
        out["usergroups"] = usergroups()
    if "restrictions" in props:
        out["restrictions"] = {
            "types": ["create", "edit", "move"],
            "levels": ["", "autoconfirmed", "sysop"],
            "cascadinglevels": ["sysop"],
            "semiprotectedlevels": ["autoconfirmed"],
        }
    if "fileextensions" in props:  # what uploads accept (pywikibot's FilePage checks names against it)
        accepted = str(current_app.config["WIKI_FILE_EXTENSIONS"]).lower().split()
        out["fileextensions"] = [{"ext": ext} for ext in dict.fromkeys(accepted)]
    if "rightsinfo" in props:
        out["rightsinfo"] = {"url": "", "text": current_app.config["WIKI_LICENSE"]}
    for empty in (
        "interwikimap",
        "specialpagealiases",
        "magicwords",
        "extensions",
        "languages",
        "skins",
        "libraries",
        "showhooks",
    ):
        if empty in props:
            out[empty] = []
    return out


def general() -> dict:
    cfg = current_app.config
    server = cfg["WIKI_SERVER"]
    main = "Main Page"
    article_path = cfg["WIKI_ARTICLE_PATH"]
    return {
        "mainpage": main,
        "base": server + article_path.replace("$1", titles.url_encode(main.replace(" ", "_"))),
        "sitename": cfg["WIKI_SITE_NAME"],
        "mainpageisdomainroot": Bool(False),
        "logo": server + "/static/logo.svg",
        "generator": site.GENERATOR,
        "phpversion": "n/a",
        "phpsapi": "n/a",
        "dbtype": "sqlite" if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "postgres",
        "dbversion": "",
        "langconversion": Bool(False),
        "titleconversion": Bool(False),
        "linkconversion": Bool(False),
        "linkprefixcharset": "",
        "linkprefix": "",
        "linktrail": "/^([a-z]+)(.*)$/sD",
        "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
        "invalidusernamechars": "@:>=",
        "case": "first-letter",
        "lang": "en",
        "fallback": [],
        "rtl": Bool(False),
        "fallback8bitEncoding": "windows-1252",
        "readonly": Bool(False),
        "writeapi": Bool(True),
        "maxarticlesize": cfg["WIKI_MAX_TEXT_BYTES"],
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": article_path,
        "scriptpath": cfg["WIKI_SCRIPT_PATH"],
        "script": cfg["WIKI_SCRIPT_PATH"] + "/index.php",
        "variantarticlepath": Bool(False),
        "server": server,
        "servername": server.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0],
        "wikiid": "wiki",
        "time": iso(utcnow()),
        "misermode": Bool(False),
        "uploadsenabled": Bool(True),  # who may upload is a right (access.rights: upload)
        "maxuploadsize": cfg["WIKI_MAX_UPLOAD_BYTES"],
        "minuploadchunksize": 1024,
        "thumblimits": {str(i): w for i, w in enumerate((120, 150, 180, 200, 250, 300))},
        "imagelimits": {
            str(i): {"width": w, "height": h}
            for i, (w, h) in enumerate(((320, 240), (640, 480), (800, 600), (1024, 768), (1280, 1024)))
        },
        "galleryoptions": {
            "imagesPerRow": 0,
            "imageWidth": 120,
            "imageHeight": 120,
            "captionLength": Bool(True),
            "showBytes": Bool(True),
            "showDimensions": Bool(True),
            "mode": "traditional",
        },
        "imagewhitelistenabled": Bool(False),
        "allunicodefixes": Bool(False),
        "fixarabicunicode": Bool(True),
        "fixmalayalamunicode": Bool(True),
        "nofollownsexceptions": [],
        "nofollowdomainexceptions": [],
        "favicon": server + "/static/favicon.ico",
        "centralidlookupprovider": "local",
        "allcentralidlookupproviders": ["local"],
        "interwikimagic": Bool(True),
        "magiclinks": {"ISBN": Bool(True), "PMID": Bool(True), "RFC": Bool(True)},
        "categorycollation": "uppercase",
        "nofollowlinks": Bool(True),
        "externallinktarget": Bool(False),
    }


def namespaces() -> dict:
    out = {}
    for ns, name in sorted(site.namespaces().names.items()):
        canonical = titles.CANONICAL_NAMES.get(ns, name)
        out[str(ns)] = Node(
            "name",
            name,
            id=ns,
            case="first-letter",
            subpages=Bool(
                ns not in (titles.MAIN, titles.FILE, titles.CATEGORY, titles.MEDIAWIKI) and ns >= 0
            ),
            canonical=canonical if ns else None,
            content=Bool(ns == titles.MAIN),
            nonincludable=Bool(False),
        )
    return out


def statistics() -> dict:
    from wiki.pages import statistics as site_statistics

    return {**site_statistics.counts(), "jobs": 0}


def usergroups() -> list:
    from wiki.access import rights

    return [{"name": name, "rights": sorted(granted)} for name, granted in rights.GROUP_RIGHTS.items()]


UIPROPS = (
    "blockinfo",
    "hasmsg",
    "groups",
    "groupmemberships",
    "implicitgroups",
    "rights",
    "options",
    "editcount",
    "registrationdate",
    "cancreateaccount",
)


@submodule(
    "userinfo",
    "meta",
    "ui",
    "Get information about the current user.",
    [multi("prop", UIPROPS, help="Which pieces of information to include.")],
)
def userinfo(api) -> dict:
    user = api.user
    props = api.params.list("uiprop")
    out: dict = {"id": user.id if user else 0, "name": user.name if user else access.client_ip()}
    if user is None:
        out["anon"] = True
    if "groups" in props:
        out["groups"] = access.groups(user)
    if "groupmemberships" in props:
        from wiki.access import groups

        members = groups.current(user) if user is not None else []
        out["groupmemberships"] = [{"group": m.group, "expiry": groups.stamp(m.expiry)} for m in members]
    if "implicitgroups" in props:
        from wiki.access import rights

        out["implicitgroups"] = rights.implicit_groups(user)
    if "rights" in props:
        out["rights"] = access.rights(user)
    if "editcount" in props and user is not None:
        from sqlalchemy import func

        from wiki.extensions import db
        from wiki.models import Revision

        out["editcount"] = db.session.scalar(
            db.select(func.count(Revision.id)).where(Revision.user_id == user.id)
        )
    if "registrationdate" in props and user is not None:
        out["registrationdate"] = iso(user.created)
    if "cancreateaccount" in props:
        out["cancreateaccount"] = "createaccount" in access.rights(user)
    if "options" in props:
        from wiki.access import preferences

        out["options"] = {k: _option_value(v) for k, v in preferences.all_for(user).items()}
    if "blockinfo" in props:
        _block_info(out, user)
    if "hasmsg" in props:
        from wiki.api.output import Bool
        from wiki.pages import newtalk

        has = newtalk.has(user.id, None) if user is not None else newtalk.has(None, access.client_ip())
        out["messages"] = Bool(has)
    return out


def _option_value(value: str):
    """A preference as MediaWiki's userinfo gives it: numbers as numbers, the rest as strings."""
    return int(value) if value.lstrip("-").isdigit() and len(value) < 10 else value


def _block_info(out: dict, user) -> None:
    try:
        from wiki.access import blocks
    except ImportError:
        return
    block = blocks.active_for(user.name if user is not None else None, access.client_ip())
    if block is not None:
        out["blockid"] = block.id
        out["blockedby"] = getattr(block, "by_user_text", "") or ""
        out["blockreason"] = block.reason
        out["blockexpiry"] = iso(block.expiry) if block.expiry else "infinite"


@submodule(
    "tokens",
    "meta",
    "",
    "Get tokens for data-modifying actions.",
    [multi("type", TOKEN_TYPES, default="csrf", help="Which types of token to get.")],
)
def tokens(api) -> dict:
    kinds = api.params.list("type")
    out = {}
    for kind in kinds:
        if kind == "login":
            out["logintoken"] = access.login_token()
        else:
            # MediaWiki has one session token per purpose; one csrf token serves them all here.
            out[f"{kind}token"] = access.csrf_token()
    return out
