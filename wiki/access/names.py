"""Rules for new account names, as MediaWiki's User::isCreatableName and AntiSpoof apply them.

A new name may not look like an IP address (its edits would pass as anonymous ones, and IP blocks
would hit it), contain MediaWiki's invalid user-name characters or a title's forbidden ones,
contain invisible or direction-changing characters, or look like an existing name: `skeleton`
folds a name to a form shared by its look-alikes (NFKC, then a small table of Cyrillic and Greek
letters and digits that pass for Latin ones, then case folding), in the spirit of Unicode TR39's
confusable skeleton. Existing accounts are not affected: these rules apply when a name is made.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

# $wgInvalidUsernameCharacters, and what titles forbid (a user name is a page title too).
INVALID_CHARACTERS = frozenset("@:>=#<>[]|{}/")
# Hangul fillers and other code points that draw nothing but are letters or marks to Unicode.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0") | {chr(c) for c in range(0xFE00, 0xFE10)}
IP_SHAPED = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.(\d{1,3}|xxx)$", re.IGNORECASE)
RESERVED = frozenset(
    {
        "Mediawiki default",
        "Conversion script",
        "Maintenance script",
        "Template namespace initialisation script",
    }
)

# Letters of other scripts drawn like Latin ones (both cases; case is folded afterwards).
OTHER_SCRIPTS = str.maketrans(
    dict(
        zip(
            "АВЕЗІЈКМНОРЅСТХУԁԛԝаеіјорѕсхуһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχ",
            "ABE3IJKMHOPSCTXYdqwaeijopscxyhlABEZHIKMNOPTYXaikvopux",
            strict=True,
        )
    )
)
# After case folding: characters told apart only by the font.
SAME_SHAPE = str.maketrans({"1": "l", "|": "l", "i": "l", "ı": "l", "0": "o"})


class BadName(ValueError):
    """The name cannot be used for a new account; the message says why."""


def _looks_like_ip(name: str) -> bool:
    text = name.strip()
    if IP_SHAPED.match(text):
        return True
    try:
        ipaddress.ip_network(text.replace(" ", "_"), strict=False)
    except ValueError:
        return False
    return True


def looks_like_ip(name: str) -> bool:
    """An IP address or range: such names belong to no account."""
    return _looks_like_ip(name)


def _hidden(ch: str) -> bool:
    """Invisible or direction-changing: format characters (zero-width, bidi controls, soft hyphen),
    controls, and the Hangul fillers; spaces other than the plain one."""
    category = unicodedata.category(ch)
    if category == "Zs":
        return ch != " "
    return ch in INVISIBLE or category in ("Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp")


def check_raw(raw: str) -> str:
    """`raw` as typed, unless it looks like an IP or hides characters (checked before the title
    rules might refuse it for another reason or drop some)."""
    if _looks_like_ip(raw):
        raise BadName(f'"{raw.strip()}" looks like an IP address, so it cannot be used as a user name.')
    hidden = [ch for ch in raw.strip() if _hidden(ch)]
    if hidden:
        codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in hidden}))
        raise BadName(f"User names cannot contain invisible or direction-changing characters ({codes}).")
    return raw


def check(name: str) -> None:
    """Raise BadName when `name` (already normalised as a title) may not be given to a new account."""
    if _looks_like_ip(name):
        raise BadName(f'"{name}" looks like an IP address, so it cannot be used as a user name.')
    bad = sorted({ch for ch in name if ch in INVALID_CHARACTERS})
    if bad:
        raise BadName(f'User names cannot contain "{"".join(bad)}": "{name}" is not allowed.')
    check_raw(name)
    if name in RESERVED:
        raise BadName(f'"{name}" is reserved by the software.')
    if len(name.encode()) > 255:
        raise BadName("User names can be at most 255 bytes long.")


def skeleton(name: str) -> str:
    """The form shared by `name` and its look-alikes: "Аdmin" (Cyrillic А), full-width "Ａｄｍｉｎ",
    "ADMIN" and "Adm1n" all fold to the same key as "Admin"."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not _hidden(ch) and not unicodedata.combining(ch))
    text = text.translate(OTHER_SCRIPTS).replace("_", " ").casefold().translate(SAME_SHAPE)
    return " ".join(text.replace("rn", "m").replace("vv", "w").split())
