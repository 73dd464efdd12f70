"""Footnotes in the shape of the Cite extension: <ref>, <ref name=...>, <references/>."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wiki.markup.escape import escape_attr, escape_id
from wiki.markup.html.sanitizer import decode_tag_attributes


@dataclass
class _Note:
    number: int
    name: str | None
    key: str
    text: str = ""
    uses: int = 0


@dataclass
class Footnotes:
    """Numbered notes of one render; `render_text` turns a note's wikitext into HTML."""

    render_text: Callable[[str], str]
    notes: list[_Note] = field(default_factory=list)
    by_name: dict[str, _Note] = field(default_factory=dict)
    counter: int = 0
    listed: int = 0  # notes[:listed] were already shown by a <references/>

    def ref(self, attrs: str, content: str | None) -> str:
        name = decode_tag_attributes(attrs).get("name") or None
        note = self.by_name.get(name) if name else None
        if note is None:
            self.counter += 1
            key = f"{escape_id(name)}_{self.counter}" if name else str(self.counter)
            note = _Note(self.counter, name, key)
            self.notes.append(note)
            if name:
                self.by_name[name] = note
        if content and not note.text:
            note.text = self.render_text(content)
        use = note.uses
        note.uses += 1
        ref_id = f"cite_ref-{note.key}-{use}" if name else f"cite_ref-{note.key}"
        return (
            f'<sup id="{escape_attr(ref_id)}" class="reference">'
            f'<a href="#{escape_attr(self._note_id(note))}">&#91;{note.number}&#93;</a></sup>'
        )

    @staticmethod
    def _note_id(note: _Note) -> str:
        if note.name:
            return f"cite_note-{escape_id(note.name)}-{note.number}"
        return f"cite_note-{note.number}"

    def _backlinks(self, note: _Note) -> str:
        if not note.name:
            return f'<a href="#cite_ref-{note.key}">↑</a>'
        if note.uses <= 1:
            return f'<a href="#{escape_attr(f"cite_ref-{note.key}-0")}">↑</a>'
        links = " ".join(
            f'<sup><a href="#{escape_attr(f"cite_ref-{note.key}-{i}")}">{note.number}.{i}</a></sup>'
            for i in range(note.uses)
        )
        return "↑ " + links

    def references(self, content: str | None = None) -> str:
        if content:
            self.render_text(content)
        pending = self.notes[self.listed :]
        self.listed = len(self.notes)
        if not pending:
            return ""
        items = "".join(
            f'<li id="{escape_attr(self._note_id(n))}"><span class="mw-cite-backlink">'
            f'{self._backlinks(n)}</span> <span class="reference-text">{n.text}</span>\n</li>\n'
            for n in pending
        )
        cls = "mw-references-wrap" + (" mw-references-columns" if len(pending) > 10 else "")
        return f'<div class="{cls}"><ol class="references">\n{items}</ol></div>'

    def leftover(self) -> str:
        return self.references() if self.listed < len(self.notes) else ""
