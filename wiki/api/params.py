"""Request parameters read the way MediaWiki's API reads them, remembering which were used."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from wiki.api.errors import ApiError, bad_integer, bad_value


class Params:
    def __init__(self, values: MultiDict):
        self.values = values
        self.used: set[str] = set()
        self.high_limits = False  # the caller has "apihighlimits": limits are ten times higher

    def get(self, name: str, default: str | None = None) -> str | None:
        self.used.add(name)
        value = self.values.get(name)
        return default if value is None else value

    def flag(self, name: str) -> bool:
        """MediaWiki booleans are checkboxes: present (with any value) means true."""
        self.used.add(name)
        return name in self.values

    def list(self, name: str) -> list[str]:
        """A multi-value parameter: "a|b|c" (or, starting with U+001F, separated by it)."""
        value = self.get(name)
        if value is None or value == "":
            return []
        sep = "\x1f" if value.startswith("\x1f") else "|"
        return [v for v in value.lstrip("\x1f").split(sep)]

    def set(self, name: str, allowed: set[str] | None = None, module: str = "", warn=None) -> list[str]:
        """Distinct values of a multi-value parameter; unknown ones are warned about and dropped."""
        out: list[str] = []
        for value in self.list(name):
            if allowed is not None and value not in allowed:
                if warn is not None:
                    warn(module or "main", f'Unrecognized value for parameter "{name}": {value}')
                continue
            if value not in out:
                out.append(value)
        return out

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value.strip())
        except ValueError:
            raise bad_integer(name, value) from None

    def limit(self, name: str, default: int = 10, maximum: int = 500, warn=None, module: str = "") -> int:
        value = self.get(name)
        if value is None or value == "":
            return default
        who = "users"
        if self.high_limits:
            maximum, who = maximum * 10, "bots or sysops"
        if value == "max":
            return maximum
        try:
            number = int(value.strip())
        except ValueError:
            raise bad_integer(name, value) from None
        if number > maximum:
            if warn is not None:
                warn(module or "main", f'"{name}" may not be over {maximum} (set to {maximum}) for {who}.')
            return maximum
        return max(1, number)

    def enum(self, name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.get(name)
        if value is None or value == "":
            return default
        if value not in allowed:
            raise bad_value(name, value)
        return value

    def one_of(self, *names: str) -> str | None:
        """The one parameter of `names` that is given; an error when several are."""
        given = [n for n in names if self.get(n) is not None]
        if len(given) > 1:
            raise ApiError(
                "invalidparammix",
                "The parameters " + ", ".join(f'"{n}"' for n in given) + " can not be used together.",
            )
        return given[0] if given else None

    def unused(self) -> list[str]:
        return [name for name in self.values if name not in self.used]
