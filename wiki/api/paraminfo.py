"""action=paraminfo: a machine-readable description of the modules and parameters served here.

Clients such as pywikibot read it before anything else (which modules exist, their prefixes,
limits, which need a POST). It is made from the same parameter tables that parse the requests, so
it describes exactly what this API implements, nothing more.
"""

from __future__ import annotations

from wiki import site
from wiki.api import MAIN_PARAMS, register
from wiki.api.params import Param, multi, param
from wiki.api.registry import MODULES, SUBMODULES


def _parameters(table: list[Param]) -> list[dict]:
    spaces = sorted(n for n in site.namespaces().names if n >= 0)
    return [p.describe(spaces) for p in table]


def _main() -> dict:
    actions = sorted(MODULES)
    table = [
        param("action", tuple(actions), default="help", help=MAIN_PARAMS[0].help),
        *MAIN_PARAMS[1:],
    ]
    described = _parameters(table)
    described[0]["submodules"] = {a: a for a in actions}
    return {
        "name": "main",
        "classname": "ApiMain",
        "path": "main",
        "group": "action",
        "prefix": "",
        "parameters": described,
    }


def _action(path: str) -> dict:
    module = MODULES[path]
    described = _parameters(module.params)
    for item in described:
        if item["name"] in ("prop", "list", "meta", "generator") and path == "query":
            item["submodules"] = {n: f"query+{n}" for n in item["type"]}
            if item["name"] == "generator":
                item["submoduleparamprefix"] = "g"
    out = {
        "name": path,
        "classname": f"Api{path.title()}",
        "path": path,
        "group": "action",
        "prefix": module.prefix,
        "parameters": described,
    }
    if module.post or module.token is not None:
        out["mustbeposted"] = True
    if module.token is not None:
        out["writerights"] = True
    return out


def describe(path: str) -> dict:
    """One module's entry of paraminfo.modules ({"name", "path", "missing"} when unknown)."""
    if path == "main":
        return _main()
    if path in MODULES:
        return _action(path)
    name = path.split("+", 1)[1] if path.startswith("query+") else ""
    sub = SUBMODULES.get(name)
    if sub is not None:
        return {
            "name": name,
            "classname": f"ApiQuery{name.title()}",
            "path": path,
            "group": sub.group,
            "prefix": sub.prefix,
            "generator": sub.generator,
            "parameters": _parameters(sub.params),
        }
    return {"name": path.rsplit("+", 1)[-1], "path": path, "missing": True}


PARAMINFO = [
    multi("modules", help='Modules to describe: "main", an action, or "query+" and a submodule.'),
    param("querymodules", help="Query submodules to describe (deprecated: use modules)."),
    param("mainmodule", "boolean", help="Describe the main module too (deprecated: use modules)."),
    param("helpformat", ("none",), default="none", help="Format of help strings (only none here)."),
]


@register("paraminfo", "Obtain information about API modules.", params=PARAMINFO)
def paraminfo(api) -> dict:
    params = api.params
    paths = params.list("modules")
    paths += [f"query+{m}" for m in (params.get("querymodules") or "").split("|") if m]
    if params.flag("mainmodule"):
        paths.append("main")
    return {"paraminfo": {"helpformat": "none", "modules": [describe(p) for p in paths]}}
