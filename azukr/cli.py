"""The ``azukr`` command: build_parser() builds argparse alone; main(argv) returns an exit code."""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from collections.abc import Sequence

from . import __version__
from .errors import DataError, RetiredError


#: invisible characters that reorder or hide text: bidi embeddings, overrides, isolates; BOM
_HIDING = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def _clean(text: object) -> str:
    """``text`` safe for a terminal, as one line: control characters (ESC, CR, line breaks),
    line separators and bidi overrides are shown as escapes, never sent raw."""
    text = str(text)
    if text.isprintable() and not _HIDING.intersection(text):
        return text
    out = []
    for char in text:
        if char in _HIDING or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(repr(char)[1:-1] if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return "".join(out)


def _say(*lines: object, file=None) -> None:
    """Print each line escaped (see ``_clean``): data never writes to the terminal raw."""
    for line in lines:
        print(_clean(line), file=file or sys.stdout)


def _dataset(args: argparse.Namespace):
    from .loader import load

    return load(args.data)


def _line(record, marks: str = "") -> str:
    from .model import collection_of, label

    return f"{str(record.date or ''):<24} {collection_of(record):<10} {marks:<5}{label(record)}  [{record.id}]"


LEGEND = ("marks: 1 = rests on one voice only; L = only on lobbying; O = only on opinion;"
          " AZ, UA, … = only on that state's own voice: its outlets, or pages relaying its bodies"
          " (see `azukr corroborate SOURCE_ID`)")


def _marks(ds, record) -> str:
    """Where a reader needs to know whose voice a record rests on: one voice, lobbying or
    opinion only, one state's own voice only (its country code)."""
    sources = ds.sources_for(record)
    if not sources:
        return ""
    marks = "1" if len(ds.voices(record)) == 1 else " "
    kinds = {s.kind for s in sources}
    marks += "L" if kinds == {"lobbying"} else "O" if kinds == {"opinion"} else " "
    parties = set.intersection(*(set(ds.parties_of(s)) for s in sources))
    codes = sorted(ds[p].country or p for p in parties)
    return (marks + "".join(codes)).rstrip()


def _source_line(ds, source) -> str:
    """A source and its voice: kind, affiliation (whose own outlet), relays (whom it passes on)."""
    def names(ids) -> str:
        return ", ".join(ds[i].name for i in ids)

    voice = [source.kind]
    if source.affiliation:
        voice.append(f"own outlet of {names(source.affiliation)}")
    if source.relays:
        voice.append(f"relays {names(source.relays)}")
    where = source.url or f"archived as {source.archive}"
    return (f"{source.title} ({source.publisher or 'publisher unknown'}, {source.published or 'undated'};"
            f" {'; '.join(voice)}) [{source.id}] {where}")


def _print_lines(lines: Sequence[str], empty: str) -> int:
    _say(*(lines or [empty]))
    return 0


# -- --json: one JSON document, or JSON Lines for lists (JSON escapes every control character) --

def _json(value: object, *, lines: bool = False) -> int:
    """Print ``value`` as one indented JSON document, or each item of it as a JSON line."""
    import json  # only the --json commands need it

    if lines:
        for item in value:  # type: ignore[attr-defined]
            print(json.dumps(item, ensure_ascii=False, sort_keys=True))
    else:
        print(json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2))
    return 0


def _record_json(ds, record) -> dict:
    """A record as its plain fields plus ``collection``, and for cited records ``voices`` and
    ``disputes`` (ids): what a script needs to weigh it."""
    from . import _convert
    from .model import DISPUTABLE, collection_of

    collection = collection_of(record)
    data = {"collection": collection, **_convert.unstructure(record)}
    if collection in DISPUTABLE:
        data["voices"] = [str(v) for v in ds.voices(record)]
        data["disputes"] = [d.id for d in ds.disputes_about(record)]
    return data


def _source_json(ds, source, cited_by: int | None = None) -> dict:
    from . import _convert

    data = {**_convert.unstructure(source), "voice": str(ds.voice(source)),
            "parties": sorted(ds.parties_of(source))}
    if cited_by is not None:
        data["cited_by"] = cited_by
    return data


def cmd_timeline(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    records = ds.timeline()
    if args.since is not None or args.until is not None:  # "" is an invalid date, not "no bound"
        records = records.between("0001" if args.since is None else args.since,
                                  "9999" if args.until is None else args.until)
    if args.involving is not None:
        if not args.involving.strip():
            raise ValueError("--involving needs an actor id, name or alias, not an empty string")
        records = records.involving(args.involving)
    if args.kind is not None:
        records = records.of_kind(args.kind)
    if args.limit is not None:
        records = records[:args.limit]
    if args.json:
        return _json(({**_record_json(ds, r), "marks": _marks(ds, r).replace(" ", "")} for r in records), lines=True)
    lines = [(_line(r, _marks(ds, r))) for r in records]
    return _print_lines([*lines, "", LEGEND] if lines else [], "no records")


def cmd_show(args: argparse.Namespace) -> int:
    from .model import collection_of
    from .versioning import record_text

    ds = _dataset(args)
    record = ds[args.id]
    if args.json:
        return _json(_record_json(ds, record))
    _say(f"# {collection_of(record)}/{record.id}.toml")
    _say(*record_text(record).removesuffix("\n").split("\n"))  # canonical TOML escapes line breaks inside strings
    disputes = ds.disputes_about(record) if collection_of(record) in ("events", "agreements", "aid") else ()
    for dispute in disputes:
        _say(f"# disputed: {dispute.title} [{dispute.id}] (azukr disputes --about {record.id})")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    found = [*ds.timeline().search(args.text), *ds.actors.search(args.text), *ds.sources.search(args.text)]
    if args.json:
        _json((_record_json(ds, r) for r in found), lines=True)
    else:
        _print_lines([_line(r) for r in found], f"nothing matches {args.text!r}")
    return 0 if found else 1  # as grep: 1 when nothing matches


def cmd_aid(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    currency = args.currency.upper()
    if currency not in ds.aid.currencies():
        raise ValueError(f"no aid amount is in {args.currency!r}; the data uses {', '.join(ds.aid.currencies())}")
    if args.json:
        total = ds.aid.total(currency)
        return _json({"records": [_record_json(ds, a) for a in ds.aid], "total": {
            "currency": total.currency, "low": str(total.low), "high": None if total.high is None else str(total.high),
            "approximate": total.approximate, "counted": [a.id for a in total.records],
            "skipped": [a.id for a in total.skipped], "source_kinds": list(total.source_kinds)}})
    for aid in ds.aid:
        amounts = ", ".join(map(str, aid.amounts)) or "no amount given"
        whole = f"  (part of {aid.part_of})" if aid.part_of else ""
        _say(f"{str(aid.date):<24} {aid.status:<10} {amounts:<32} {aid.title}  [{aid.id}]{whole}")
    total = ds.aid.total(currency)
    _say("", f"total: {total}")
    _say("(amounts are as each source reports them, never converted; a part is not counted beside the"
          " whole it belongs to; cumulative claims by different sources are separate records: see"
          " `azukr disputes`)")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from collections import Counter

    ds = _dataset(args)
    counts = Counter(source_id for r in (*ds.timeline(), *ds.disputes) for source_id in {c.source for c in r.citations})
    if args.json:
        return _json((_source_json(ds, s, counts[s.id]) for s in ds.sources), lines=True)
    for source in ds.sources:
        _say(f"{_source_line(ds, source)}  ({counts[source.id]} records)")
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    record = ds[args.id]
    if args.json:
        from . import _convert

        return _json({"id": record.id, "voices": [str(v) for v in ds.voices(record)], "citations": [
            {**_convert.unstructure(c), "source": _source_json(ds, ds[c.source])} for c in record.citations]})
    for citation in getattr(record, "citations", ()):
        source = ds[citation.source]
        backs = ", ".join(citation.supports) or "the whole record"
        if citation.quote:
            _say(f"“{citation.quote}”")
        if citation.claim:
            _say(f"claim (our words): {citation.claim}")
        _say(f"    — {_source_line(ds, source)}")
        _say(f"    supports: {backs}" + (f"; at: {citation.locator}" if citation.locator else ""))
        if citation.note:
            _say(f"    note: {citation.note}")
    voices = ds.voices(record) if getattr(record, "citations", ()) else ()
    if voices:
        _say("", f"{len(voices)} independent voice(s): {'; '.join(map(str, voices))}")
    return 0


def _position_lines(ds, dispute) -> list[str]:
    lines = []
    for position in dispute.positions:
        lines.append(f"  - {position.value}")
        for citation in position.citations:
            lines.append(f"      {citation.text}")
            lines.append(f"        — {_source_line(ds, ds[citation.source])}")
    return lines


def cmd_disputes(args: argparse.Namespace) -> int:
    from .model import label

    ds = _dataset(args)
    disputes = ds.disputes_about(args.about) if args.about is not None else tuple(ds.disputes)
    if args.json:
        return _json((_record_json(ds, d) for d in disputes), lines=True)
    lines: list[str] = []
    for dispute in disputes:
        lines += [f"{dispute.title}  [{dispute.id}]"]
        lines += [f"  about: {label(ds[i])} [{i}]" for i in dispute.about]
        if dispute.field:
            lines.append(f"  field: {dispute.field}")
        lines += _position_lines(ds, dispute)
        if dispute.summary:
            lines.append(f"  {dispute.summary}")
        lines.append("")
    return _print_lines(lines[:-1], f"no disputes about {args.about}" if args.about else "no disputes")


def cmd_corroborate(args: argparse.Namespace) -> int:
    from .model import label

    ds = _dataset(args)
    found = ds.corroboration(args.source_id)
    source = ds[args.source_id]
    if args.json:
        return _json({"source": _source_json(ds, source), "records": [
            {"id": c.record.id, "title": label(c.record), "verdict": c.verdict,
             "backing": [{"voice": str(b.voice), "independent": b.independent, "kinds": list(b.kinds),
                          "sources": [s.id for s in b.sources]} for b in c.backing],
             "disputes": [d.id for d in c.disputes]} for c in found]})
    _say(_source_line(ds, source))
    if source.note:
        _say(f"  {source.note}")
    groups: dict[str, list] = {"corroborated": [], "same party only": [], "disputed": [], "alone": []}
    for item in found:
        groups[item.verdict].append(item)
    _say("", f"{len(found)} records cite it: " + ", ".join(f"{len(v)} {k}" for k, v in groups.items()))
    headings = {
        "corroborated": "Confirmed by at least one independent voice",
        "same party only": "Backed only by voices of the same party",
        "disputed": "Disputed: sources disagree about these",
        "alone": "Resting on this source alone",
    }
    for verdict, items in groups.items():
        if not items:
            continue
        _say("", f"{headings[verdict]}:")
        for item in items:
            _say(f"  {label(item.record)}  [{item.record.id}]")
            for b in item.backing:
                tag = "independent" if b.independent else "same party"
                _say(f"      {tag}: {b.voice} ({', '.join(b.kinds)}; {', '.join(s.id for s in b.sources)})")
            for dispute in item.disputes:
                _say(f"      dispute: {dispute.title} [{dispute.id}]")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .loader import read

    raw, problems = read(args.dir)
    if problems:
        raise DataError(problems)
    count = sum(len(records) for records in raw.records.values())
    _say(f"ok: {count} records, data version {raw.version}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export, export_text

    if args.out == "-":
        sys.stdout.write(export_text(_dataset(args), args.format))
        return 0
    for path in export(_dataset(args), args.format, args.out, force=args.force):
        _say(path)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .loader import load

    diff = load(args.old).diff(load(args.new))
    _say(*str(diff).split("\n"))
    return 1 if args.exit_code and diff else 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .versioning import fmt

    root = args.dir
    files = fmt(root, check=args.check)
    for name in files:
        _say(f"{'not canonical' if args.check else 'reformatted'}: {name}")
    if args.check and files:
        _say(f"azukr: {len(files)} file(s) not in canonical form; run `azukr fmt {root}`", file=sys.stderr)
        return 1
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Counts a data release reports: records by collection and decade, sources by kind and language."""
    from collections import Counter

    ds = _dataset(args)
    _say(f"data {ds.version}: " + ", ".join(
        f"{len(getattr(ds, c))} {c}" for c in ("events", "agreements", "aid", "disputes", "sources", "actors")))
    decades = Counter((type(r).__name__.lower(),
                       f"{r.date.earliest.year // 10 * 10}s" if r.date.earliest.year > 1 else "open")
                      for r in ds.timeline())
    names = sorted({d for _, d in decades}, key=lambda d: (d == "open", d))
    _say("", "records by decade of the earliest possible date ('open': no start date, as many running totals):")
    _say("  " + " ".join(f"{d:>6}" for d in ["", *names]))
    for kind in ("event", "agreement", "aid"):
        _say("  " + f"{kind:>10}" + "".join(f"{decades[(kind, d)]:>7}" for d in names))
    for label, key in (("kind", "kind"), ("language", "language")):
        counts = Counter(getattr(s, key) for s in ds.sources)
        _say("", f"sources by {label}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    _say("", "records corroborated by two or more voices:"
         f" {len(ds.timeline().corroborated(2))} of {len(ds.timeline())};"
         f" disputed: {len(ds.timeline().disputed())}")
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    _say(f"azukr {__version__}", f"data {ds.version}", f"fingerprint {ds.fingerprint}")
    return 0


JSON_LINES = "print JSON Lines, one object per record, for scripts (jq)"
JSON_DOC = "print one JSON document, for scripts (jq)"


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of records")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .export import FORMATS

    parser = argparse.ArgumentParser(prog="azukr", description="Azerbaijan–Ukraine relations, every fact cited.")
    parser.add_argument("-V", "--version", action="version", version=f"azukr {__version__}")
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data", metavar="PATH", help="a data directory or JSON export (default: the shipped data)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run, help: str, *, reads_data: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=[data] if reads_data else [])
        p.set_defaults(run=run)
        return p

    p = command("timeline", cmd_timeline, "events, agreements and aid in date order")
    p.add_argument("--since", metavar="DATE", help="EDTF date: only records that could be on or after it")
    p.add_argument("--until", metavar="DATE", help="EDTF date: only records that could be on or before it")
    p.add_argument("--involving", metavar="ACTOR", help="an actor id, name or alias")
    p.add_argument("--kind", metavar="KIND", help="only records of this kind (visit, call, energy-equipment, …)")
    p.add_argument("--limit", metavar="N", type=_count, help="at most N records")
    p.add_argument("--json", action="store_true", help=JSON_LINES)
    p = command("show", cmd_show, "one record, as its canonical file")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help=JSON_DOC)
    p = command("search", cmd_search, "records whose text contains TEXT (case-insensitive); exit 1 if none")
    p.add_argument("text")
    p.add_argument("--json", action="store_true", help=JSON_LINES)
    p = command("aid", cmd_aid, "aid records and their total in one currency")
    p.add_argument("--currency", default="USD", help="ISO 4217 code (default USD); no conversion is made")
    p.add_argument("--json", action="store_true", help=JSON_DOC)
    command("sources", cmd_sources, "the sources, their kind and how many records cite each").add_argument(
        "--json", action="store_true", help=JSON_LINES)
    p = command("cite", cmd_cite, "the quotes and sources behind one record")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help=JSON_DOC)
    command("validate", cmd_validate, "check a data directory; exit 1 listing every problem",
            reads_data=False).add_argument("dir", nargs="?", help="default: the shipped data")
    p = command("export", cmd_export, "write the data in another format")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="DIR",
                   help="created if missing; a non-empty folder must hold an earlier azukr export;"
                        " '-' writes a one-file format (json, csl-json, html) to standard output")
    p.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that is not an earlier export, replacing files of the same name")
    p = command("diff", cmd_diff, "what changed between two data directories", reads_data=False)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences, as git diff does")
    p = command("fmt", cmd_fmt, "rewrite data files in canonical form", reads_data=False)
    p.add_argument("--check", action="store_true", help="only list files that are not canonical; exit 1 if any")
    p.add_argument("dir", help="the data directory to format (required: the installed data is never rewritten)")
    p = command("disputes", cmd_disputes, "where sources disagree, each position with its sources")
    p.add_argument("--about", metavar="ID", help="only the disputes about this record")
    p.add_argument("--json", action="store_true", help=JSON_LINES)
    p = command("corroborate", cmd_corroborate,
                "for each record citing a source: who else backs it, and what is disputed")
    p.add_argument("source_id")
    p.add_argument("--json", action="store_true", help=JSON_DOC)
    command("stats", cmd_stats, "counts: records by collection and decade, sources by kind and language")
    command("version", cmd_version, "code version, data version and fingerprint")
    return parser


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the flush at exit cannot fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests) or already closed
        pass


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.run(args)
        sys.stdout.flush()  # inside the try: a reader gone (`| head`) is a broken pipe here
        return code
    except BrokenPipeError:  # `azukr timeline | head -1`: stop quietly, as coreutils do
        _quiet_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for `seq 1000000 | head -1`
    except DataError as exc:
        count = len(exc.errors)
        _say(f"azukr: {count} problem{'s' if count != 1 else ''} in the data", *exc.errors, file=sys.stderr)
        return 1
    except RetiredError as exc:
        _say(f"azukr: {exc}", file=sys.stderr)
        return 1
    except KeyError as exc:
        _say(f"azukr: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        _say(f"azukr: {exc}", file=sys.stderr)
        return 2
