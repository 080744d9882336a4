"""One self-contained HTML page: the timeline with its citations and voices, disputes beside the
records they are about, and aid as an inline SVG.

The page loads nothing (a Content-Security-Policy forbids it), works with JavaScript off (every
record is in the HTML; ``<details>`` opens a record to its citations) and uses a small plain
script only to filter. Every string from the data goes through Jinja2 autoescaping; links are
kept only for http(s) addresses. Jinja2 is an optional extra: ``pip install "azukr[html]"``.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..amounts import Money, Quantity
from ..dates import DatePoint, PartialDate
from ..model import SOURCE_KINDS, Actor, Agreement, Aid, Citation, Dispute, Event, Source, collection_of, references

if TYPE_CHECKING:
    from ..dataset import Dataset

#: where each record's file is browsed: ``<base>/<collection>/<id>.toml``
REPOSITORY_DATA_URL = "https://github.com/azukr/azukr/blob/main/azukr_data"
HTML_NAME = "index.html"
TEMPLATE = "index.html.j2"
SCRIPT = "filter.js"
#: the timeline starts here (Ukraine's and Azerbaijan's independence)
FIRST_YEAR = 1991
STATUSES = ("committed", "dispatched", "delivered", "reported")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class MissingExtraError(ImportError, ValueError):
    """An optional dependency is not installed. An ``ImportError`` for callers, and a
    ``ValueError`` so the command line reports it in one line."""


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError:
        raise MissingExtraError('the html export needs Jinja2: pip install "azukr[html]"', name="jinja2") from None
    return jinja2


# ---- words -------------------------------------------------------------------------------------

def point_text(point: DatePoint) -> str:
    """``2023-10-30`` as ``30 Oct 2023``, ``2023-08`` as ``Aug 2023``; ``~`` and ``?`` kept."""
    text = str(point.year)
    if point.month is not None:
        text = f"{_MONTHS[point.month - 1]} {text}"
    if point.day is not None:
        text = f"{point.day} {text}"
    return ("c. " if point.approximate else "") + text + ("?" if point.uncertain else "")


def date_text(date: PartialDate | None) -> str:
    """A date as people write it: ``30 Oct 2023``, ``24 Feb – 17 Mar 2022``, ``up to Aug 2023``."""
    if date is None:
        return "undated"
    start, end = date.start, date.end
    if end is None:
        return point_text(start) if isinstance(start, DatePoint) else str(date)
    if not isinstance(start, DatePoint):
        return f"up to {point_text(end)}" if isinstance(end, DatePoint) else str(date)
    if not isinstance(end, DatePoint):
        return f"from {point_text(start)}" + (" on" if end == ".." else " (end unknown)")
    return f"{point_text(start)} – {point_text(end)}"


def number_text(value: Decimal) -> str:
    return f"{value:,}"


def money_text(money: Money) -> str:
    return f"{money.qualifier.symbol}{number_text(money.amount)} {money.currency}"


def quantity_text(quantity: Quantity) -> str:
    return f"{quantity.qualifier.symbol}{number_text(quantity.value)} {quantity.unit}"


def short_money(value: Decimal) -> str:
    """``33,000,000`` as ``33M``: for axis ticks and chart labels."""
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k")):
        if value >= size:
            return f"{(value / size).normalize():f}{suffix}"
    return f"{value.normalize():f}"


def safe_url(url: str | None) -> str | None:
    """The address if it is http(s), else None: a ``javascript:`` URL in the data is shown, never linked."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def anchor(record_id: str) -> str:
    return f"r-{record_id}"


# ---- the view: plain data the template renders ---------------------------------------------------

@dataclass
class SourceView:
    id: str
    title: str
    kind: str
    publisher: str | None
    published: str | None
    url: str | None
    shown_url: str | None
    archive: str | None
    affiliation: list[str]
    relays: list[str]
    note: str


@dataclass
class CitationView:
    quote: str
    claim: str
    locator: str
    supports: list[str]
    note: str
    source: SourceView


@dataclass
class PositionView:
    value: str
    citations: list[CitationView]


@dataclass
class DisputeView:
    id: str
    title: str
    field: str | None
    summary: str
    positions: list[PositionView]


@dataclass
class RecordView:
    id: str
    anchor: str
    collection: str
    type: str
    kind: str
    title: str
    date: str
    edtf: str
    year: int
    summary: str
    file_url: str
    file_path: str
    facts: list[tuple[str, str]]
    status: str | None
    amounts: list[str]
    items: list[str]
    part_of: tuple[str, str] | None
    citations: list[CitationView]
    disputes: list[DisputeView]
    actor_ids: list[str]
    source_kinds: list[str]
    voices: list[str]


@dataclass
class YearView:
    year: int
    records: list[RecordView]


@dataclass
class Choice:
    value: str
    label: str
    count: int


# ---- the aid chart -----------------------------------------------------------------------------

@dataclass
class Mark:
    """One record in a panel: a point (x, y) with an optional whisker (x1..x2) over its date."""

    href: str
    status: str
    x: float
    y: float
    x1: float
    x2: float
    label: str
    tip: str
    label_y: float = 0.0


@dataclass
class Span:
    """A cumulative claim: a bar over its date interval, with an open start drawn as such."""

    href: str
    x1: float
    x2: float
    y: float
    open_start: bool
    open_end: bool
    label: str
    label_x: float
    label_anchor: str
    tip: str


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class Panel:
    title: str
    y: float
    height: float
    grid: list[Tick] = field(default_factory=list)
    lanes: list[Tick] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    spans_title: str = ""
    spans_y: float = 0.0
    spans: list[Span] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    years: list[Tick]
    panels: list[Panel]


_WIDTH, _LEFT, _RIGHT = 960, 110, 940
_FLOW_HEIGHT, _ROW = 150, 26


def _scale_x(first: datetime.date, last: datetime.date) -> Any:
    total = (last - first).days or 1

    def x(day: datetime.date) -> float:
        day = min(max(day, first), last)
        return round(_LEFT + (_RIGHT - _LEFT) * (day - first).days / total, 1)

    return x


def _midpoint(date: PartialDate) -> datetime.date:
    """The middle of a date's span; for an open or unknown end, the end that is known."""
    if date.earliest == datetime.date.min or date.latest == datetime.date.max:
        return date.placed
    return date.earliest + (date.latest - date.earliest) / 2


def _whisker(date: PartialDate, x: Any) -> tuple[float, float]:
    """The x range of a bounded date span (a point for an open one)."""
    middle = x(_midpoint(date))
    if date.earliest == datetime.date.min or date.latest == datetime.date.max:
        return middle, middle
    return x(date.earliest), x(date.latest)


def _tip(aid: Aid, what: str) -> str:
    return f"{aid.title} — {aid.status}, {date_text(aid.date)}: {what}"


def aid_chart(aid: Sequence[Aid], voices: dict[str, list[str]] | None = None) -> Chart | None:
    """Amounts per currency (log scale, never converted) and goods, over time, by status;
    reported totals drawn as claims spanning the interval they cover, labelled with their
    figure, period and ``voices`` (aid id -> who says so)."""
    said = voices or {}
    if not aid:
        return None
    bounded = [d for a in aid for d in (a.date.earliest, a.date.latest) if d not in (datetime.date.min,
                                                                                       datetime.date.max)]
    first = datetime.date(min(bounded).year, 1, 1)
    last = datetime.date(max(bounded).year, 12, 31)
    x = _scale_x(first, last)
    years = [Tick(x(datetime.date(year, 1, 1)), str(year)) for year in range(first.year, last.year + 2)]
    years[-1].pos = _RIGHT
    panels: list[Panel] = []
    top = 40.0
    counts: dict[str, int] = {}
    for a in aid:
        for currency in dict.fromkeys(m.currency for m in a.amounts):
            counts[currency] = counts.get(currency, 0) + 1
    for currency in sorted(counts, key=lambda c: (-counts[c], c)):
        panel = _money_panel(currency, aid, x, top, said)
        panels.append(panel)
        top = panel.y + panel.height + 40
    goods = _goods_panel(aid, x, top, said)
    if goods.marks or goods.spans:
        panels.append(goods)
        top = goods.y + goods.height + 40
    return Chart(width=_WIDTH, height=int(top), left=_LEFT, right=_RIGHT, years=years, panels=panels)


def _span(a: Aid, x: Any, y: float, label: str, said: dict[str, list[str]]) -> Span:
    open_start = a.date.earliest == datetime.date.min
    open_end = a.date.latest == datetime.date.max
    x1, x2 = x(a.date.earliest), x(a.date.latest)
    if x2 - x1 < 4:
        x1 = x2 - 4
    text = " · ".join([label, date_text(a.date), *_who(said.get(a.id, []))])
    width = len(text) * 6.4  # about 11.5px text
    if x1 + width <= _WIDTH - 4:
        label_x, label_anchor = x1, "start"
    elif x2 - width >= 4:
        label_x, label_anchor = x2, "end"
    else:
        label_x, label_anchor = max(4.0, _WIDTH - 4 - width), "start"
    return Span(href=f"#{anchor(a.id)}", x1=x1, x2=x2, y=y, open_start=open_start, open_end=open_end, label=text,
                label_x=round(label_x, 1), label_anchor=label_anchor, tip=_tip(a, label))


def _spread_labels(marks: list[Mark]) -> None:
    """Drop a point's label below it where it would run into the label of an earlier point."""
    placed: list[tuple[float, float]] = []
    for mark in sorted(marks, key=lambda m: (m.x, m.y)):
        label_y = mark.y - 6
        if any(abs(mark.x - x) < 8 + 6.2 * len(mark.label) and abs(label_y - y) < 12 for x, y in placed):
            label_y = mark.y + 16
        mark.label_y = label_y
        placed.append((mark.x, label_y))


def _who(names: list[str]) -> list[str]:
    if not names:
        return []
    return [f"says {names[0]}" if len(names) == 1 else f"say {names[0]} and {len(names) - 1} more"]


def _money_panel(currency: str, aid: Sequence[Aid], x: Any, top: float, said: dict[str, list[str]]) -> Panel:
    flows = [(a, m) for a in aid if a.status != "reported" for m in a.amounts if m.currency == currency]
    claims = [a for a in aid if a.status == "reported" and any(m.currency == currency for m in a.amounts)]
    panel = Panel(title=f"Amounts in {currency} (never converted)", y=top, height=0)
    if flows:
        values = [m.amount for _, m in flows if m.amount > 0] or [Decimal(1)]
        low = math.floor(math.log10(min(values)))
        high = max(math.ceil(math.log10(max(values))), low + 1)

        def y(value: Decimal) -> float:
            share = (math.log10(value) - low) / (high - low) if value > 0 else 0.0
            return round(top + 20 + (_FLOW_HEIGHT - 30) * (1 - share), 1)

        panel.grid = [Tick(y(Decimal(10) ** p), short_money(Decimal(10) ** p)) for p in range(low, high + 1)]
        for a, m in flows:
            text = money_text(m)
            x1, x2 = _whisker(a.date, x)
            panel.marks.append(Mark(href=f"#{anchor(a.id)}", status=a.status, x=x(_midpoint(a.date)), y=y(m.amount),
                                    x1=x1, x2=x2,
                                    label=f"{m.qualifier.symbol}{short_money(m.amount)}", tip=_tip(a, text)))
        _spread_labels(panel.marks)
        panel.height = _FLOW_HEIGHT
    if claims:
        panel.spans_title = f"Reported totals in {currency}: each a claim over the period it covers, not to be added"
        panel.spans_y = top + panel.height + 22
        for row, a in enumerate(sorted(claims, key=lambda c: (c.date.latest, c.id))):
            label = " + ".join(money_text(m) for m in a.amounts if m.currency == currency)
            panel.spans.append(_span(a, x, panel.spans_y + 26 + row * _ROW, label, said))
        panel.height += 22 + 14 + len(claims) * _ROW
    return panel


def _goods_panel(aid: Sequence[Aid], x: Any, top: float, said: dict[str, list[str]]) -> Panel:
    panel = Panel(title="Goods sent (counts and measures, as reported)", y=top, height=0)
    flows = [a for a in aid if a.status != "reported" and a.items]
    claims = [a for a in aid if a.status == "reported" and a.items]
    lanes = [s for s in STATUSES if s != "reported" and any(a.status == s for a in flows)]
    if flows:
        lane_y = {s: top + 30 + i * 28 for i, s in enumerate(lanes)}
        panel.lanes = [Tick(lane_y[s], s) for s in lanes]
        for a in flows:
            text = "; ".join(quantity_text(q) for q in a.items)
            x1, x2 = _whisker(a.date, x)
            panel.marks.append(Mark(href=f"#{anchor(a.id)}", status=a.status, x=x(_midpoint(a.date)),
                                    y=lane_y[a.status], x1=x1, x2=x2, label="", tip=_tip(a, text)))
        panel.height = 30 + len(lanes) * 28
    if claims:
        panel.spans_title = "Reported totals of goods: each a claim over the period it covers, not to be added"
        panel.spans_y = top + panel.height + 22
        for row, a in enumerate(sorted(claims, key=lambda c: (c.date.latest, c.id))):
            label = "; ".join(quantity_text(q) for q in a.items)
            if len(label) > 70:
                label = label[:69].rstrip() + "…"
            panel.spans.append(_span(a, x, panel.spans_y + 26 + row * _ROW, label, said))
        panel.height += 22 + 14 + len(claims) * _ROW
    return panel


# ---- records -----------------------------------------------------------------------------------

class _Builder:
    def __init__(self, dataset: Dataset) -> None:
        self.ds = dataset
        self._sources: dict[str, SourceView] = {}

    def name(self, actor_id: str) -> str:
        actor = self.ds.get(actor_id)
        return actor.name if isinstance(actor, Actor) else actor_id

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.name(i) for i in ids)

    def source(self, source_id: str) -> SourceView:
        if source_id not in self._sources:
            s = self.ds.get(source_id)
            if not isinstance(s, Source):
                s = Source(id=source_id, title=source_id, kind="other", url="about:blank")
            self._sources[source_id] = SourceView(
                id=s.id, title=s.title, kind=s.kind, publisher=s.publisher,
                published=date_text(s.published) if s.published else None, url=safe_url(s.url),
                shown_url=s.url, archive=s.archive, affiliation=[self.name(i) for i in s.affiliation],
                relays=[self.name(i) for i in s.relays], note=s.note)
        return self._sources[source_id]

    def citation(self, c: Citation) -> CitationView:
        return CitationView(quote=c.quote, claim=c.claim, locator=c.locator, supports=list(c.supports), note=c.note,
                            source=self.source(c.source))

    def dispute(self, d: Dispute) -> DisputeView:
        return DisputeView(id=d.id, title=d.title, field=d.field, summary=d.summary,
                           positions=[PositionView(p.value, [self.citation(c) for c in p.citations])
                                      for p in d.positions])

    def facts(self, r: Event | Agreement | Aid) -> list[tuple[str, str]]:
        facts: list[tuple[str, str]] = []
        if isinstance(r, Event):
            facts += [("Actors", self.names(r.actors))] if r.actors else []
            facts += [("Place", self.name(r.place))] if r.place else []
        elif isinstance(r, Agreement):
            facts += [("Parties", self.names(r.parties))] if r.parties else []
            facts += [("Signatories", self.names(r.signatories))] if r.signatories else []
            facts += [("Place", self.name(r.place))] if r.place else []
            facts += [("Provisions", "; ".join(r.provisions))] if r.provisions else []
            if r.event:
                event = self.ds.get(r.event)
                facts.append(("At", event.title if isinstance(event, Event) else r.event))
        else:
            facts.append(("From → to", f"{self.name(r.donor)} → {self.name(r.recipient)}"))
            facts += [("Through", self.names(r.channel))] if r.channel else []
        return facts

    def record(self, r: Event | Agreement | Aid) -> RecordView:
        collection = collection_of(r)
        sources = self.ds.sources_for(r)
        kinds = [k for k in SOURCE_KINDS if any(s.kind == k for s in sources)]
        part_of = None
        if isinstance(r, Aid) and r.part_of:
            whole = self.ds.get(r.part_of)
            part_of = (anchor(r.part_of), whole.title if isinstance(whole, Aid) else r.part_of)
        return RecordView(
            id=r.id, anchor=anchor(r.id), collection=collection, type=type(r).__name__.lower(), kind=r.kind,
            title=r.title, date=date_text(r.date), edtf=str(r.date), year=r.date.placed.year,
            summary=r.summary, file_url=f"{REPOSITORY_DATA_URL}/{collection}/{r.id}.toml",
            file_path=f"azukr_data/{collection}/{r.id}.toml", facts=self.facts(r),
            status=r.status if isinstance(r, Aid) else None,
            amounts=[money_text(m) for m in r.amounts] if isinstance(r, Aid) else [],
            items=[quantity_text(q) for q in r.items] if isinstance(r, Aid) else [],
            part_of=part_of, citations=[self.citation(c) for c in r.citations],
            disputes=[self.dispute(d) for d in self.ds.disputes_about(r)],
            actor_ids=sorted({ref for _, target, ref in references(r) if target == "actors"}),
            source_kinds=kinds, voices=[v.label for v in self.ds.voices(r)],
        )


def _choices(values: Iterable[tuple[str, str]]) -> list[Choice]:
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for value, label in values:
        counts[value] = counts.get(value, 0) + 1
        labels[value] = label
    return [Choice(v, labels[v], counts[v]) for v in sorted(counts, key=lambda v: labels[v].casefold())]


def generation_date() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` where it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def context(dataset: Dataset, generated: datetime.date | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain data."""
    builder = _Builder(dataset)
    timeline = [r for r in dataset.timeline() if r.date.placed.year >= FIRST_YEAR]  # in date order
    records = [builder.record(r) for r in timeline]
    years: list[YearView] = []
    for view in records:
        if not years or years[-1].year != view.year:
            years.append(YearView(view.year, []))
        years[-1].records.append(view)
    omitted = len(dataset.timeline()) - len(records)
    cited = {c.source for r in timeline for c in r.citations}
    return {
        "version": dataset.version,
        "fingerprint": dataset.fingerprint,
        "generated": (generated or generation_date()).isoformat(),
        "repository": REPOSITORY_DATA_URL,
        "first_year": FIRST_YEAR,
        "years": years,
        "count": len(records),
        "omitted": omitted,
        "counts": {c: sum(1 for r in records if r.collection == c) for c in ("events", "agreements", "aid")},
        "source_count": len(cited),
        "dispute_count": len(dataset.disputes),
        "actors": _choices((a, builder.name(a)) for r in records for a in r.actor_ids),
        "kinds": _choices((r.kind, r.kind.replace("-", " ")) for r in records),
        "collections": _choices((r.collection, r.collection) for r in records),
        "source_kinds": _choices((k, k) for r in records for k in r.source_kinds),
        "year_choices": [y.year for y in years],
        "all_source_kinds": SOURCE_KINDS,
        "statuses": STATUSES,
        "chart": aid_chart([r for r in timeline if isinstance(r, Aid)], {r.id: r.voices for r in records}),
    }


def render(dataset: Dataset, generated: datetime.date | None = None) -> str:
    """The page as a string."""
    jinja2 = _jinja()
    env = jinja2.Environment(loader=jinja2.PackageLoader("azukr.export", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    loader = env.loader
    assert loader is not None
    script = loader.get_source(env, SCRIPT)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return str(env.get_template(TEMPLATE).render(script=script, script_hash=f"sha256-{digest}",
                                                 **context(dataset, generated)))


def write_html(dataset: Dataset, out: Path) -> list[Path]:
    """Write ``index.html`` into ``out``: one file, openable offline."""
    text = render(dataset)
    path = out / HTML_NAME
    path.write_text(text, encoding="utf-8", newline="\n")
    return [path]
