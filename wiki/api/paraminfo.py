"""action=paraminfo: a machine-readable description of the modules and parameters served here.

Clients such as pywikibot read it before anything else (which modules exist, their prefixes,
limits, which need a POST), so it describes exactly what this API implements, nothing more.
"""

from __future__ import annotations

from wiki.api import MODULES, register
from wiki.api.modulespec import ACTION_PARAMS, QUERY_MODULES, multi, p


def _main() -> dict:
    actions = sorted(MODULES)
    return {
        "name": "main",
        "classname": "ApiMain",
        "path": "main",
        "group": "action",
        "prefix": "",
        "parameters": [
            p("action", actions, default="help", submodules={a: a for a in actions}),
            p(
                "format",
                ["json", "jsonfm"],
                default="jsonfm",
                submodules={"json": "json", "jsonfm": "jsonfm"},
            ),
            p("maxlag", "integer"),
            p("smaxage", "integer", default=0),
            p("maxage", "integer", default=0),
            p("assert", ["anon", "bot", "user"]),
            p("assertuser", "user"),
            p("requestid"),
            p("servedby", "boolean"),
            p("curtimestamp", "boolean"),
            p("origin"),
            p("uselang", default="user"),
            p("formatversion", ["1", "2", "latest"], default="1"),
            p("utf8", "boolean"),
            p("ascii", "boolean"),
        ],
    }


def _query() -> dict:
    groups: dict[str, list[str]] = {"prop": [], "list": [], "meta": []}
    for name, (group, _prefix, _gen, _params) in QUERY_MODULES.items():
        groups[group].append(name)
    generators = sorted(n for n, spec in QUERY_MODULES.items() if spec[2])
    params = [
        multi(group, sorted(names), submodules={n: f"query+{n}" for n in sorted(names)})
        for group, names in groups.items()
    ]
    params += [
        p("indexpageids", "boolean"),
        p("export", "boolean"),
        p("iwurl", "boolean"),
        p("continue"),
        p("rawcontinue", "boolean"),
        multi("titles"),
        multi("pageids", "integer"),
        multi("revids", "integer"),
        p(
            "generator",
            generators,
            submodules={n: f"query+{n}" for n in generators},
            submoduleparamprefix="g",
        ),
        p("redirects", "boolean"),
        p("converttitles", "boolean"),
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
