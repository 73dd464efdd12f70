"""A concept's dated examples as a timeline: server-drawn SVG plus an ordered list (the accessible
form), grouped by example group. Pure HTML out: no script, colours from currentColor and CSS
variables (so dark mode and print follow the page), links to the examples' pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from wiki.concepts.reader import Date, Structure

MAX_ITEMS = 500  # examples drawn by one timeline
FUTURE_SLACK = 1  # years past the current one still drawn; later dates are listed apart
ROW = 24
LEFT = 12
WIDTH = 760
AXIS = 34
ACCENT = "var(--concept-timeline-accent,#3366cc)"  # the skin may set it (dark mode)


@dataclass
class Entry:
    label: str  # the example's page title or text
    target: str | None  # page title to link
    exists: bool
    date: Date
    groups: list[str]
    order: int  # position on the page (ties keep it)

    @property
    def lane(self) -> str:
        return self.groups[0] if self.groups else ""


def entries(
    structure: Structure,
    existing: Callable[[Iterable[str]], set[str]],
    canonical: Callable[[str], str | None] = lambda link: link,
) -> list[Entry]:
    """The dated examples in time order (page order among equals); links as `canonical` names them."""
    dated = structure.dated()[:MAX_ITEMS]
    targets = {item.link: canonical(item.link) for _g, item in dated if item.link}
    found = existing({t for t in targets.values() if t})
    out = []
    for order, (groups, item) in enumerate(dated):
        assert item.date is not None
        target = targets.get(item.link) if item.link else None
        label = item.link or item.text
        out.append(Entry(label, target, bool(target and target in found), item.date, groups, order))
    out.sort(key=lambda e: (e.date.sort_key(), e.order))
    return out


def _when(date: Date) -> str:
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    text = f"{months[date.month - 1]} {date.year}" if date.month else str(date.year)
    if date.end:
        text += f"–{date.end}"
    return ("~" if date.approx else "") + text


def _datetime(date: Date) -> str:
    return f"{date.year:04d}-{date.month:02d}" if date.month else f"{date.year:04d}"


def render(
    subject: str,
    items: list[Entry],
    link: Callable[[str], str],
    *,
    now: datetime | None = None,
    id_prefix: str = "tl",
) -> str:
    """The timeline's HTML: a <figure> with the SVG drawing and the ordered list of examples."""
    this_year = (now or datetime.now(UTC)).year
    drawn = [e for e in items if e.date.year <= this_year + FUTURE_SLACK]
    later = [e for e in items if e.date.year > this_year + FUTURE_SLACK]
    caption = f"Timeline of {subject}: {len(items)} dated example{'s' if len(items) != 1 else ''}"
    parts = [
        f'<figure class="concept-timeline" id="{id_prefix}-timeline" aria-labelledby="{id_prefix}-caption">'
    ]
    parts.append(f'<figcaption id="{id_prefix}-caption">{escape(caption)}</figcaption>')
    if drawn:
        parts.append(_svg(drawn, link))
    parts.append(_list(items, link, later))
    parts.append("</figure>")
    return "".join(parts)


def _svg(items: list[Entry], link: Callable[[str], str]) -> str:
    first = min(e.date.year for e in items)
    last = max(max(e.date.year, e.date.end or 0) for e in items) + 1
    span = max(1, last - first)
    lanes: list[str] = []
    for e in items:
        if e.lane not in lanes:
            lanes.append(e.lane)
    plot_left, plot_right = LEFT + 8, WIDTH - 220

    def x(year: float) -> float:
        return plot_left + (year - first) / span * (plot_right - plot_left)

    rows: list[str] = []
    y = AXIS
    for lane in lanes:
        y += 8
        rows.append(
            f'<text x="{LEFT}" y="{y + 12}" font-weight="bold" font-size="13" fill="currentColor">'
            f"{escape(lane)}</text>"
        )
        y += ROW
        for e in (i for i in items if i.lane == lane):
            cx = x(e.date.year + ((e.date.month or 6) - 0.5) / 12 if e.date.month else e.date.year + 0.5)
            cy = y + ROW / 2 - 4
            bar = ""
            if e.date.end:
                bar = (
                    f'<line x1="{cx:.1f}" y1="{cy}" x2="{x(e.date.end + 0.5):.1f}" y2="{cy}" '
                    f'stroke-width="6" stroke-linecap="round" style="stroke:{ACCENT}" opacity="0.5"></line>'
                )
            dot = (
                f'<circle cx="{cx:.1f}" cy="{cy}" r="6" style="fill:{ACCENT}"></circle>'
                f'<text x="{cx + 12:.1f}" y="{cy + 4}" font-size="13" fill="currentColor">'
                f"{escape(e.label)} ({escape(_when(e.date))})</text>"
            )
            if e.target:
                cls = "" if e.exists else ' class="new"'
                dot = f'<a href="{escape(link(e.target))}" tabindex="-1"{cls}>{dot}</a>'
            rows.append(bar + dot)
            y += ROW
    height = y + 8
    grid: list[str] = []
    step = 1 if span <= 20 else 5 if span <= 100 else 50
    for year in range(first - first % step, last + 1, step):
        if year < first:
            continue
        gx = x(year)
        grid.append(
            f'<line x1="{gx:.1f}" y1="{AXIS - 6}" x2="{gx:.1f}" y2="{height}" stroke="currentColor" '
            'opacity="0.2"></line>'
            f'<text x="{gx:.1f}" y="{AXIS - 12}" font-size="12" text-anchor="middle" fill="currentColor">'
            f"{year}</text>"
        )
    return (
        f'<svg class="concept-timeline-chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" '
        f'style="max-width:{WIDTH}px;color:var(--concept-timeline-text,inherit)">'
        + "".join(grid)
        + "".join(rows)
        + "</svg>"
    )


def _list(items: list[Entry], link: Callable[[str], str], later: list[Entry]) -> str:
    out = ['<ol class="concept-timeline-list">']
    for e in items:
        name = escape(e.label)
        if e.target:
            cls = "" if e.exists else ' class="new"'
            name = f'<a href="{escape(link(e.target))}"{cls}>{name}</a>'
        groups = " › ".join(escape(g) for g in e.groups)
        note = " (a date in the future)" if e in later else ""
        out.append(
            f'<li><time datetime="{_datetime(e.date)}">{escape(_when(e.date))}</time>: {name}'
            + (f' <span class="concept-timeline-group">({groups})</span>' if groups else "")
            + f"{note}</li>"
        )
    out.append("</ol>")
    return "".join(out)
