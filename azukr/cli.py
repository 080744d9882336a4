"""The ``azukr`` command: build_parser() builds argparse alone; main(argv) returns an exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import DataError, RetiredError


def _dataset(args: argparse.Namespace):
    from .loader import load

    return load(args.data)


def _line(record) -> str:
    from .model import collection_of, label

    return f"{str(record.date or ''):<24} {collection_of(record):<10} {label(record)}  [{record.id}]"


def _print_lines(lines: Sequence[str], empty: str) -> int:
    print("\n".join(lines) if lines else empty)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    records = _dataset(args).timeline()
    if args.since or args.until:
        records = records.between(args.since or "0001", args.until or "9999")
    if args.involving:
        records = records.involving(args.involving)
    return _print_lines([_line(r) for r in records], "no records")


def cmd_show(args: argparse.Namespace) -> int:
    from .model import collection_of
    from .versioning import record_text

    record = _dataset(args)[args.id]
    print(f"# {collection_of(record)}/{record.id}.toml")
    print(record_text(record), end="")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    found = [*ds.timeline().search(args.text), *ds.actors.search(args.text), *ds.sources.search(args.text)]
    return _print_lines([_line(r) for r in found], f"nothing matches {args.text!r}")


def cmd_aid(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    for aid in ds.aid:
        amounts = ", ".join(map(str, aid.amounts)) or "no amount given"
        whole = f"  (part of {aid.part_of})" if aid.part_of else ""
        print(f"{str(aid.date):<24} {aid.status:<10} {amounts:<32} {aid.title}  [{aid.id}]{whole}")
    total = ds.aid.total(args.currency)
    print(f"\ntotal: {total}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    cited = ds.timeline()
    for source in ds.sources:
        count = len(cited.citing(source.id))
        who = ", ".join(p for p in (source.publisher or "publisher unknown", source.author) if p)
        print(f"{source.id}  [{source.kind}]  {source.published or 'undated'}  {who}: {source.title}  ({count} records)")
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    record = ds[args.id]
    for citation in getattr(record, "citations", ()):
        source = ds[citation.source]
        backs = ", ".join(citation.supports) or "the whole record"
        print(f"“{citation.quote}”")
        print(f"    — {source.title} ({source.publisher or 'publisher unknown'}, {source.published or 'undated'};"
              f" {source.kind}) [{source.id}]; supports: {backs}")
        if citation.note:
            print(f"    note: {citation.note}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .loader import read

    raw, problems = read(args.dir)
    if problems:
        raise DataError(problems)
    count = sum(len(records) for records in raw.records.values())
    print(f"ok: {count} records, data version {raw.version}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    for path in export(_dataset(args), args.format, args.out):
        print(path)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .loader import load

    print(load(args.old).diff(load(args.new)))
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .loader import shipped_root
    from .versioning import fmt

    root = args.dir or str(shipped_root())
    files = fmt(root, check=args.check)
    for name in files:
        print(f"{'not canonical' if args.check else 'reformatted'}: {name}")
    if args.check and files:
        print(f"azukr: {len(files)} file(s) not in canonical form; run `azukr fmt {root}`", file=sys.stderr)
        return 1
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    print(f"azukr {__version__}\ndata {ds.version}\nfingerprint {ds.fingerprint}")
    return 0


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
    command("show", cmd_show, "one record, as its canonical file").add_argument("id")
    command("search", cmd_search, "records whose text contains TEXT (case-insensitive)").add_argument("text")
    command("aid", cmd_aid, "aid records and their total in one currency").add_argument(
        "--currency", default="USD", help="ISO 4217 code (default USD); no conversion is made")
    command("sources", cmd_sources, "the sources, their kind and how many records cite each")
    command("cite", cmd_cite, "the quotes and sources behind one record").add_argument("id")
    command("validate", cmd_validate, "check a data directory; exit 1 listing every problem",
            reads_data=False).add_argument("dir", nargs="?", help="default: the shipped data")
    p = command("export", cmd_export, "write the data in another format")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="DIR", help="created if missing")
    p = command("diff", cmd_diff, "what changed between two data directories", reads_data=False)
    p.add_argument("old")
    p.add_argument("new")
    p = command("fmt", cmd_fmt, "rewrite data files in canonical form", reads_data=False)
    p.add_argument("--check", action="store_true", help="only list files that are not canonical; exit 1 if any")
    p.add_argument("dir", nargs="?", help="default: the shipped data")
    command("version", cmd_version, "code version, data version and fingerprint")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        print(f"azukr: {exc}", file=sys.stderr)
        return 1
    except RetiredError as exc:
        print(f"azukr: {exc}", file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"azukr: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"azukr: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `azukr timeline | head`
        return 0
