"""Search keys: a name with case, spacing and punctuation between letters and digits taken out.

"GPT-3", "gpt3", "GPT 3" and "g.p.t-3" all give "gpt3", so a query typed any of these ways finds
the page or alias written another way. Letters of every script count (casefolded, accents kept).
"""

from __future__ import annotations

import unicodedata

MAX_KEY = 255


def key(text: str) -> str:
    """The search key of a name or query: its letters and digits, casefolded (may be empty)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())[:MAX_KEY]
