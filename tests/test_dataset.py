import pytest

import azukr
from azukr import RetiredError, Source


def test_lookup_by_id_and_get(ds):
    assert ds["baku"].name == "Baku"
    assert ds.get("baku") is ds["baku"]
    assert ds.get("nope") is None and ds.get("nope", 0) == 0
    with pytest.raises(KeyError, match="no record with id 'nope'"):
        ds["nope"]


def test_retired_id_raises_naming_reason_and_replacement(data_dir):
    (data_dir / "retired.toml").write_text(
        '[kyiv-visit-2022]\nretired = 2026-11-23\nreason = "merged: the same visit"\n'
        'replaced_by = "aliyev-visit-to-kyiv-2022-01-14"\n', "utf-8")
    ds = azukr.load(data_dir)
    with pytest.raises(RetiredError) as info:
        ds["kyiv-visit-2022"]
    assert info.value.replaced_by == "aliyev-visit-to-kyiv-2022-01-14"
    assert "merged: the same visit" in str(info.value) and isinstance(info.value, KeyError)
    with pytest.raises(RetiredError):
        ds.get("kyiv-visit-2022")


def test_timeline_merges_events_agreements_and_aid_in_order(ds):
    timeline = ds.timeline()
    assert len(timeline) == len(ds.events) + len(ds.agreements) + len(ds.aid)
    keys = [(r.date.placed, r.date.latest, str(r.date), r.id) for r in timeline]
    assert keys == sorted(keys)
    assert [r.date.placed for r in timeline][0].year >= 1900  # no open start at the beginning of time


def test_sources_for_lists_each_cited_source_once_in_order(ds):
    sources = ds.sources_for("baku-embassy-rally-2022-02-27")
    assert [s.id for s in sources] == ["oc-media-2022-02-28", "bgr-email-2022-03-17"]
    assert all(isinstance(s, Source) for s in sources)
    assert ds.sources_for(ds["baku-embassy-rally-2022-02-27"]) == sources
    assert ds.sources_for("baku") == ()


def test_fingerprint_shape_and_equality(ds, data_dir):
    assert ds.fingerprint.startswith("sha256:") and len(ds.fingerprint) == 7 + 64
    assert azukr.load(data_dir).fingerprint == ds.fingerprint


def test_iteration_and_len_cover_every_record(ds):
    assert len(list(ds)) == len(ds) == sum(len(getattr(ds, c)) for c in ("actors", "sources", "events", "agreements", "aid", "disputes"))
    assert "baku" in ds and "nope" not in ds
