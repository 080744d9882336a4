"""The sources as CSL-JSON, for citation managers (Zotero, Pandoc, citeproc)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import DatePoint, PartialDate
from ..model import Source
from .jsonfile import dumps

if TYPE_CHECKING:
    from ..dataset import Dataset

_TYPES = {
    "news": "article-newspaper",
    "opinion": "article-newspaper",
    "government": "report",
    "press-release": "report",
    "lobbying": "personal_communication",
    "encyclopedia": "entry-encyclopedia",
    "other": "document",
}


#: words that mark an author as an organisation or a byline, not a person
_ORGANISATION_WORDS = frozenset("""
    editorial editors editor staff desk team newsroom office service services agency ministry
    department bureau committee council press news media company group center centre institute
    foundation association reporters correspondents
""".split())
#: lowercase name particles kept with the family name ("van Dijk", "al Mansour")
_PARTICLES = frozenset("van von der den de del della di da du la le al el bin ibn ter ten".split())
_INITIAL = re.compile(r"(?:\w\.)+-?(?:\w\.)?")


def person_name(text: str) -> dict[str, str]:
    """One author as CSL-JSON: ``family``/``given`` where it reads as a person's name
    ("Mark J. Tavlarides" -> family Tavlarides, given "Mark J."; "Чекаленко Л. Д." with its
    initials after the family name), else ``literal`` (an organisation, a byline such as
    "Editorial" or "Messenger Staff", a single word)."""
    words = text.split()
    if len(words) < 2 or any(w.casefold().strip(".,") in _ORGANISATION_WORDS for w in words) or any(
            not w[0].isalpha() for w in words):
        return {"literal": text}
    initials = [bool(_INITIAL.fullmatch(w)) for w in words]
    if not initials[0] and all(initials[1:]):  # family name first, then initials
        return {"family": words[0], "given": " ".join(words[1:])}
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    if any(not w[0].isupper() and w not in _PARTICLES for w in words):
        return {"literal": text}
    name = {"family": words[-1], "given": " ".join(words[:start])}
    if start < len(words) - 1:
        name["non-dropping-particle"] = " ".join(words[start:-1])
    return name


def authors(text: str) -> list[dict[str, str]]:
    """The authors of a byline: "A B, C D" is two people; anything not read as a person stays
    one ``literal`` name, never guessed apart."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        names = [person_name(p) for p in parts]
        if all("family" in n for n in names):
            return names
    return [person_name(text)] if "," not in text else [{"literal": text}]


def _date_parts(point: DatePoint) -> list[int]:
    return [p for p in (point.year, point.month, point.day) if p is not None]


def _issued(date: PartialDate) -> dict[str, Any] | None:
    """CSL-JSON ``issued`` at the date's precision: one date, or a range where both ends are
    known; ``circa`` where the date is approximate."""
    points = [p for p in (date.start, date.end) if isinstance(p, DatePoint)]
    if not isinstance(date.start, DatePoint):
        return None
    parts = [_date_parts(p) for p in points]
    issued: dict[str, Any] = {"date-parts": parts if date.end is None or len(points) == 2 else parts[:1]}
    if date.approximate:
        issued["circa"] = True
    return issued


def csl_item(source: Source) -> dict[str, Any]:
    """One source as a CSL-JSON item; unknown fields are left out, never guessed."""
    item: dict[str, Any] = {"id": source.id, "type": _TYPES[source.kind], "title": source.title}
    if source.author:
        item["author"] = authors(source.author)
    if source.publisher:
        item["publisher"] = source.publisher
        if source.kind in ("news", "opinion"):
            item["container-title"] = source.publisher
    if source.published is not None:
        issued = _issued(source.published)
        if issued:
            item["issued"] = issued
    if source.url:
        item["URL"] = source.url
    item["language"] = source.language
    note = f"azukr source kind: {source.kind}." + (f" {source.note}" if source.note else "")
    item["note"] = note
    return item


def write_csl_json(dataset: Dataset, out: Path) -> list[Path]:
    path = out / "sources.csl.json"
    path.write_text(dumps([csl_item(s) for s in dataset.sources]), encoding="utf-8", newline="\n")
    return [path]
