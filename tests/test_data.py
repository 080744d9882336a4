"""Tests over every shipped record: quotes verbatim, every source cited, dates as resolved."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from pathlib import Path

import pytest

import azukr
import azukr_data
from azukr.dates import last_weekday

from .conftest import REPO

SEEDS_ENV = "AZUKR_SEEDS"


def seeds_dir() -> Path:
    """The folder of archived source texts: $AZUKR_SEEDS, default ../shared/seeds beside the repo.

    A missing folder fails the test run (it would otherwise pass without checking a quote);
    AZUKR_SEEDS=none opts out explicitly, for a checkout without the archive.
    """
    configured = os.environ.get(SEEDS_ENV)
    if configured == "none":
        pytest.skip("AZUKR_SEEDS=none: quote checks turned off explicitly")
    folder = Path(configured) if configured else REPO.parent / "shared" / "seeds"
    if not folder.is_dir():
        pytest.fail(f"source texts not found at {folder}; set {SEEDS_ENV} to their folder (or to 'none')")
    return folder


def rendered(text: str) -> str:
    """A document's text as a reader sees it: markdown link targets and backslash escapes of
    the archived copy dropped, runs of white space read as one space."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!$])", r"\1", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def texts(ds) -> dict[str, str]:
    """The archived text of every source that keeps one, as a reader sees it."""
    folder = seeds_dir()
    return {s.id: rendered((folder / s.archive).read_text("utf-8")) for s in ds.sources if s.archive}


def all_citations(ds):
    """Every citation of every cited record and dispute, with where it stands."""
    for record in (*ds.timeline(), *ds.disputes):
        for index, citation in enumerate(record.citations):
            yield f"{record.id}.citations[{index}]", citation


def test_every_quote_is_verbatim_in_its_source(ds, texts):
    quoted = [(where, c) for where, c in all_citations(ds) if c.quote]
    assert quoted, "no quote was checked"
    wrong = [
        f"{where}: {c.quote!r} is not in {c.source}"
        for where, c in quoted
        if c.source not in texts or rendered(c.quote).strip() not in texts[c.source]
    ]
    assert wrong == []


def test_every_source_document_has_a_source_record_and_every_source_is_cited(ds):
    archived = {p.name for p in seeds_dir().glob("*.txt")}
    assert {s.archive for s in ds.sources if s.archive} == archived
    cited = {c.source for _, c in all_citations(ds)}
    assert set(ds.sources.ids()) - cited == set()


def test_every_dated_record_has_a_citation_backing_its_date(ds):
    for record in ds.timeline():
        date_field = "signed" if hasattr(record, "signed") else "date"
        backing = [c for c in record.citations if not c.supports or date_field in c.supports]
        assert backing, f"{record.id}: no citation supports its {date_field}"


def test_weekdays_are_resolved_from_the_article_date(ds):
    article = ds["oc-media-2022-02-28"].published.earliest
    assert ds["baku-embassy-rally-2022-02-27"].date.earliest == last_weekday("Sunday", before=article)
    assert ds["zelensky-thanks-azerbaijan-for-aid-2022-02-26"].date.earliest == last_weekday("Saturday", before=article)
    # "Friday, January 14" with BGR's "in 2022": 14 January 2022 was a Friday
    assert dt.date(2022, 1, 14).strftime("%A") == "Friday"


def test_lobbying_material_is_labelled_as_such(ds):
    bgr = ds["bgr-email-2022-03-17"]
    assert bgr.kind == "lobbying" and "Foreign Agents Registration Act" in bgr.note
    assert ds["aze-media-2025-04-24"].kind == "opinion"


def test_unknown_publishers_stay_unknown(ds):
    for source_id in ("presidents-sign-joint-declaration-article", "joint-declaration-signing-report"):
        source = ds[source_id]
        assert (source.publisher, source.author, source.published) == (None, None, None)


def test_reported_totals_link_their_parts(ds):
    parts = ds.aid.filter(lambda a: a.part_of is not None)
    assert {a.id for a in parts} >= {
        "azerbaijan-humanitarian-aid-to-2022-03-17",
        "azerbaijan-humanitarian-aid-silk-way-deliveries-2022-02",
        "azerbaijan-humanitarian-aid-second-tranche-2022-03-13",
    }


def test_data_version_is_in_the_changelog():
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    assert f"data {azukr_data.__version__}" in changelog


def test_code_version_matches_the_package_metadata():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert meta["project"]["version"] == azukr.__version__
    assert f"## [{azukr.__version__}]" in (REPO / "CHANGELOG.md").read_text("utf-8")


def test_shipped_data_is_valid():
    assert azukr.validate() == []


def test_the_quote_check_is_strict_about_characters(texts):
    exact = "Hundreds gathered outside the Ukrainian embassy in the Azerbaijani capital Baku on Sunday to protest Russia’s invasion of Ukraine."
    assert rendered(exact) in texts["oc-media-2022-02-28"]
    assert rendered(exact.replace("’", "'")) not in texts["oc-media-2022-02-28"]  # straight for curly
    assert rendered(exact.replace("embassy", "Embassy")) not in texts["oc-media-2022-02-28"]
    # markdown link syntax in the archived email reads as its text
    assert "which received personal thanks from President Zelenskyy" in texts["bgr-email-2022-03-17"]


def test_web_sources_have_an_address_and_are_cited_by_claims_only(ds):
    web = {s.id for s in ds.sources if not s.archive}
    assert web and all(ds[s].url.startswith(("http://", "https://")) for s in web)
    quoted = [(where, c.source) for where, c in all_citations(ds) if c.source in web and c.quote]
    assert quoted == []


def test_every_aid_record_has_a_status_and_a_cited_date(ds):
    for aid in ds.aid:
        assert aid.status in ("committed", "dispatched", "delivered", "reported")
        assert any(not c.supports or "date" in c.supports for c in aid.citations), aid.id


def test_every_dispute_has_two_cited_positions_about_cited_records(ds):
    assert len(ds.disputes) >= 25
    for dispute in ds.disputes:
        assert len(dispute.positions) >= 2 and all(p.citations for p in dispute.positions), dispute.id
        assert all(ds[i].citations for i in dispute.about)


def test_every_date_is_edtf_that_round_trips(ds):
    for record in (*ds.timeline(), *ds.sources):
        if record.date is not None:
            assert str(azukr.PartialDate.parse(str(record.date))) == str(record.date)


@pytest.mark.parametrize("doc", ["docs/coverage.md", "docs/data-sources.md", "docs/audit-2026-3.md", "README.md",
                                 "CONTRIBUTING.md"])
def test_record_ids_named_in_the_docs_exist(ds, doc):
    named = set(re.findall(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+){2,})`", (REPO / doc).read_text("utf-8")))
    unknown = sorted(i for i in named if i not in ds and i not in ds.retired)
    assert unknown == []


def test_the_audit_record_names_each_new_record_once_and_every_one_exists(ds):
    """docs/audit-2026-3.md lists the 411 records of 2026.3 re-read against their pages: every
    path a record, none twice; and every record it names as holding a page not found again does."""
    text = (REPO / "docs" / "audit-2026-3.md").read_text("utf-8")
    paths = re.findall(r"`((?:events|agreements|aid|disputes)/[a-z0-9-]+)\.toml`", text)
    assert len(paths) == len(set(paths)) == 411
    assert [p for p in paths if p.split("/")[1] not in ds] == []
    lost = re.findall(r"^- `([a-z0-9-]+)`: (.+)$", text.split("## Pages not found again")[1], re.M)
    assert lost
    for record_id, sources in lost:
        noted = {c.source for c in azukr.model.all_citations(ds[record_id])
                 if c.note and "not found again at audit" in c.note.lower()}
        assert set(re.findall(r"`([a-z0-9-]+)`", sources)) == noted, record_id


def test_the_relationship_is_covered_from_1991(ds):
    years = {r.date.earliest.year for r in ds.timeline()}
    assert {1991, 1992, 1995, 2004, 2006, 2009, 2014, 2019, 2022, 2025, 2026} <= years
    assert len(ds.events) >= 150 and len(ds.agreements) >= 25 and len(ds.aid) >= 45


def test_the_wheel_ships_every_collection():
    from azukr.model import COLLECTIONS

    meta = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    shipped = meta["tool"]["setuptools"]["package-data"]["azukr_data"]
    assert "*.toml" in shipped and all(f"{c}/*.toml" in shipped for c in COLLECTIONS)


def test_the_reference_covers_the_public_api_and_every_command():
    from azukr.cli import build_parser

    text = (REPO / "docs" / "reference.md").read_text("utf-8")
    missing = [name for name in azukr.__all__
               if not re.search(rf"`(azukr\.)?{name}\b|^#+ .*\b{name}\b", text, re.M)]
    assert missing == []
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert [c for c in commands if f"`{c}" not in text] == []
