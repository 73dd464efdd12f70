"""User preferences (MediaWiki's user options): the defaults table, typed getters, changes.

Only values that differ from the default are stored (user_properties), so a new default reaches
everyone who never changed it. `enotifusertalkpages` is kept in User.email_on_talk (migration 0011).
A user's preferences are read only for that user: nothing here lists another user's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import delete, select

from wiki.access import request_memo
from wiki.extensions import db
from wiki.models import User, UserProperty

MAX_VALUE = 2000  # characters of one stored value
MAX_USERJS = 100  # free-form "userjs-*" options per user


@dataclass(frozen=True)
class Pref:
    default: str
    kind: str = "string"  # bool | int | choice | timezone | string
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0


# MediaWiki's names and defaults (rows, theme, textsize and pagewidth are ours: MediaWiki 1.39 has
# no such options; the last three are the skin's Appearance menu).
DEFAULTS: dict[str, Pref] = {
    "timecorrection": Pref("System|0", "timezone"),
    "minordefault": Pref("0", "bool"),
    "watchcreations": Pref("1", "bool"),
    "watchdefault": Pref("1", "bool"),
    "watchmoves": Pref("0", "bool"),
    "watchdeletion": Pref("0", "bool"),
    "watchrollback": Pref("0", "bool"),
    "showhiddencats": Pref("0", "bool"),
    "rows": Pref("25", "int", low=4, high=1000),
    "theme": Pref("auto", "choice", ("auto", "light", "dark")),
    "textsize": Pref("standard", "choice", ("small", "standard", "large")),
    "pagewidth": Pref("limited", "choice", ("limited", "full")),
    "rclimit": Pref("50", "int", low=1, high=1000),
    "rcdays": Pref("7", "int", low=1, high=90),
    "hideminor": Pref("0", "bool"),
    "hidepatrolled": Pref("0", "bool"),
    "wllimit": Pref("250", "int", low=1, high=1000),
    "watchlistdays": Pref("7", "int", low=0, high=90),
    "watchlisthideminor": Pref("0", "bool"),
    "watchlisthidebots": Pref("0", "bool"),
    "watchlisthideown": Pref("0", "bool"),
    "watchlisthideanons": Pref("0", "bool"),
    "watchlisthideliu": Pref("0", "bool"),
    "watchlisthidepatrolled": Pref("0", "bool"),
    "extendwatchlist": Pref("1", "bool"),
    "enotifusertalkpages": Pref("0", "bool"),
    "gender": Pref("unknown", "choice", ("unknown", "male", "female")),
    "language": Pref("en", "choice", ("en",)),
    "date": Pref("default", "choice", ("default", "mdy", "dmy", "ymd", "ISO 8601")),
    "editfont": Pref("monospace", "choice", ("monospace", "sans-serif", "serif")),
    "skin": Pref("vector", "choice", ("vector",)),
}
EMAIL_ON_TALK = "enotifusertalkpages"


class BadValue(ValueError):
    """The value cannot be stored for this preference; the message says why (MediaWiki's words)."""


def _stored(user: User) -> dict[str, str]:
    # The relationship: loaded with the account by the session's query, else read here once.
    return {row.name: row.value for row in user.properties}


def all_for(user: User | None) -> dict[str, str]:
    """Every preference of `user` (defaults merged with changes; anonymous users get the defaults)."""
    values = {name: pref.default for name, pref in DEFAULTS.items()}
    if user is None or user.id is None:
        return values
    values.update(_changed(user))
    values[EMAIL_ON_TALK] = "1" if user.email_on_talk else "0"
    return values


def _changed(user: User) -> dict[str, str]:
    """The user's stored changes, read once per request (a page shows many dates)."""
    memo = request_memo.get("preferences")
    if memo is not None and user.id in memo:
        known: dict[str, str] = memo[user.id]
        return known
    found = _stored(user)
    if memo is not None:
        memo[user.id] = found
    return found


def _forget(user: User) -> None:
    memo = request_memo.get("preferences")
    if memo is not None:
        memo.pop(user.id, None)
    db.session.expire(user, ["properties"])


def get(user: User | None, name: str) -> str:
    """One preference's value as a string."""
    if name == EMAIL_ON_TALK:
        return "1" if user is not None and user.email_on_talk else "0"
    default = DEFAULTS[name].default if name in DEFAULTS else ""
    if user is None or user.id is None:
        return default
    return _changed(user).get(name, default)


def get_bool(user: User | None, name: str) -> bool:
    return get(user, name) not in ("", "0")


def get_int(user: User | None, name: str) -> int:
    pref = DEFAULTS[name]
    try:
        number = int(get(user, name))
    except ValueError:
        number = int(pref.default)
    return max(pref.low, min(pref.high, number)) if pref.high else number


def check(name: str, value: str) -> str:
    """The value as stored, or BadValue (unknown option, not a number, not an allowed choice)."""
    if name.startswith("userjs-"):
        if len(value) > MAX_VALUE:
            raise BadValue(f'Validation error for "{name}": the value is longer than {MAX_VALUE} characters.')
        return value
    pref = DEFAULTS.get(name)
    if pref is None:
        raise BadValue(f'Validation error for "{name}": not a valid preference.')
    if pref.kind == "bool":
        return "0" if value in ("", "0", "false") else "1"
    if pref.kind == "int":
        try:
            number = int(value.strip())
        except ValueError:
            raise BadValue(
                f'Validation error for "{name}": The value you specified is not a number.'
            ) from None
        if not pref.low <= number <= pref.high:
            raise BadValue(
                f'Validation error for "{name}": The value must be between {pref.low} and {pref.high}.'
            )
        return str(number)
    if pref.kind == "choice":
        if value not in pref.choices:
            raise BadValue(f'Validation error for "{name}": This is not a valid option.')
        return value
    if pref.kind == "timezone":
        zone_of(value, strict=True)
        return value
    return value[:MAX_VALUE]


def set_many(user: User, values: dict[str, str]) -> None:
    """Store checked values (the caller commits); a value equal to its default is not kept."""
    _forget(user)
    for name, value in values.items():
        if name == EMAIL_ON_TALK:
            user.email_on_talk = value == "1"
            continue
        row = db.session.get(UserProperty, (user.id, name))
        default = DEFAULTS[name].default if name in DEFAULTS else None
        if value == default:
            if row is not None:
                db.session.delete(row)
        elif row is not None:
            row.value = value
        else:
            if name.startswith("userjs-"):
                count = db.session.scalar(
                    select(db.func.count()).where(
                        UserProperty.user_id == user.id, UserProperty.name.startswith("userjs-")
                    )
                )
                if (count or 0) >= MAX_USERJS:
                    raise BadValue(f"No more than {MAX_USERJS} custom options can be kept.")
            db.session.add(UserProperty(user_id=user.id, name=name, value=value))
    db.session.flush()


KINDS = (
    "registered",
    "registered-multiselect",
    "registered-checkmatrix",
    "userjs",
    "special",
    "unused",
    "all",
)
REGISTERED = frozenset({"registered", "registered-multiselect", "registered-checkmatrix"})


def reset(user: User, kinds: Iterable[str] = ("all",)) -> None:
    """Forget the user's changes of these kinds (MediaWiki's resetkinds); the caller commits."""
    _forget(user)
    wanted = set(kinds)
    mine = UserProperty.user_id == user.id
    userjs = UserProperty.name.startswith("userjs-")
    if "all" in wanted or wanted & REGISTERED:
        user.email_on_talk = False
    if "all" in wanted:
        db.session.execute(delete(UserProperty).where(mine))
        return
    if wanted & REGISTERED:
        db.session.execute(delete(UserProperty).where(mine, UserProperty.name.in_(list(DEFAULTS))))
    if "userjs" in wanted:
        db.session.execute(delete(UserProperty).where(mine, userjs))
    if "unused" in wanted:
        db.session.execute(
            delete(UserProperty).where(mine, ~userjs, UserProperty.name.not_in(list(DEFAULTS)))
        )


# Time zones ------------------------------------------------------------------------------------


def zones() -> list[str]:
    """The IANA time zones offered in Preferences, sorted."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def zone_of(value: str, *, strict: bool = False) -> tzinfo:
    """The tzinfo of a timecorrection value ("System|0", "ZoneInfo|60|Europe/Paris", "Offset|-300")."""
    parts = value.split("|")
    try:
        if parts[0] == "ZoneInfo" and len(parts) >= 3:
            return ZoneInfo(parts[2])
        if parts[0] == "Offset" and len(parts) == 2:
            minutes = int(parts[1])
            if -14 * 60 <= minutes <= 14 * 60:
                from datetime import timezone

                return timezone(timedelta(minutes=minutes))
        if parts[0] == "System":
            return UTC
    except (ZoneInfoNotFoundError, ValueError, IndexError):
        pass
    if strict:
        raise BadValue('Validation error for "timecorrection": This is not a valid option.')
    return UTC


def timezone_value(zone_name: str) -> str:
    """The timecorrection value for an IANA zone name ("" or "UTC": the wiki's time)."""
    if zone_name in ("", "UTC", "System"):
        return "System|0"
    zone = ZoneInfo(zone_name)  # raises ZoneInfoNotFoundError
    offset = datetime.now(UTC).astimezone(zone).utcoffset() or timedelta()
    return f"ZoneInfo|{int(offset.total_seconds() // 60)}|{zone_name}"
