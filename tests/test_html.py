"""The HTML page: valid HTML5 (html5lib's strict parser), data escaped, voices, disputes and the
aid picture on a small hand-made dataset; then a real headless Chromium (the system package,
driven by playwright) opening the exported page offline: filters, records opening to their
citations, no console errors, no network, and the screenshot in docs/."""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import azukr
from azukr.amounts import Money, Qualifier, Quantity
from azukr.dataset import Dataset
from azukr.export import FORMATS, export
from azukr.loader import RawData, check
from azukr.model import Actor, Aid, Citation, Dispute, Event, Position, Source

from .strategies import ACTORS

pytest.importorskip("jinja2", reason='the html export needs the html extra: pip install "azukr[html]"')
html5lib = pytest.importorskip("html5lib", reason="html5lib is in the test extra")

from azukr.export import html as page  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NS = "{http://www.w3.org/1999/xhtml}"
EVIL = '<script>alert("owned")</script> & <b>bold</b>'

MFA = Actor(id="mfa-az", name="Ministry of Foreign Affairs of Azerbaijan", kind="organization", country="AZ")
SOURCES = (
    Source(id="azertac-1", title=f"AZERTAC on aid {EVIL}", kind="news", publisher="AZERTAC",
           affiliation=("azerbaijan",), url="https://azertac.az/1",
           published=azukr.PartialDate.parse("2023-10-30")),
    Source(id="trend-1", title="Trend relays the ministry", kind="news", publisher="Trend", relays=("mfa-az",),
           url="https://trend.az/1"),
    Source(id="bad-url", title="A source with a hostile address", kind="other", url="javascript:alert(1)"),
    Source(id="gov-1", title="Cabinet report", kind="government", publisher="Cabinet", url="https://cabmin.az/1"),
)


def cite(source: str, claim: str = "a claim in our own words") -> tuple[Citation, ...]:
    return (Citation(source=source, claim=claim, locator="para. 2"),)


EVENTS = (
    Event(id="evil-event", date=azukr.PartialDate.parse("2023-03-01"), title=EVIL, kind="statement",
          actors=("azerbaijan",), summary=f"summary {EVIL}", citations=cite("bad-url", f"claim {EVIL}")),
    Event(id="kyiv-visit", date=azukr.PartialDate.parse("2004-06"), title="A visit to Kyiv", kind="visit",
          actors=("azerbaijan", "ukraine"), place="kyiv", citations=(*cite("trend-1"), *cite("gov-1"))),
    Event(id="before-independence", date=azukr.PartialDate.parse("1989"), title="Before 1991", kind="statement",
          citations=cite("gov-1")),
)
AID = (
    Aid(id="shipment", title="Transformers sent", donor="azerbaijan", recipient="ukraine",
        date=azukr.PartialDate.parse("2023-01-11"), kind="energy-equipment", status="delivered",
        amounts=(Money(amount=Decimal("360000"), currency="USD"),),
        items=(Quantity(value=Decimal("45"), unit="transformers"),), citations=cite("azertac-1")),
    Aid(id="pledge", title="An order of equipment", donor="azerbaijan", recipient="ukraine",
        date=azukr.PartialDate.parse("2023-07-17"), kind="energy-equipment", status="committed",
        amounts=(Money(amount=Decimal("1500000"), currency="AZN"),), citations=cite("trend-1")),
    Aid(id="total", title="Total aid so far", donor="azerbaijan", recipient="ukraine",
        date=azukr.PartialDate.parse("../2023-10-30"), kind="humanitarian", status="reported",
        amounts=(Money(amount=Decimal("33000000"), currency="USD", qualifier=Qualifier.AT_LEAST),
                 Money(amount=Decimal("57000000"), currency="AZN")),
        items=(Quantity(value=Decimal("2000"), unit="tonnes", qualifier=Qualifier.AT_LEAST),),
        citations=(*cite("gov-1"), *cite("azertac-1"))),
)
DISPUTE = Dispute(id="which-month", title="When was the visit?", about=("kyiv-visit",), field="date", positions=(
    Position(value="2004-06", citations=cite("trend-1", "June")),
    Position(value=f"2004-07 {EVIL}", citations=cite("gov-1", "July")),
))


@pytest.fixture(scope="module")
def small() -> Dataset:
    raw = RawData("test", {"actors": (*ACTORS, MFA), "sources": SOURCES, "events": EVENTS, "agreements": (),
                           "aid": AID, "disputes": (DISPUTE,)})
    assert list(check(raw)) == []
    return Dataset(raw)


def parse(text: str):
    """The document, or html5lib's first parse error: strict mode raises on any."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def text_of(element) -> str:
    return "".join(element.itertext())


def details(doc, record_id: str):
    found = [d for d in doc.iter(f"{NS}details") if d.get("id") == page.anchor(record_id)]
    assert len(found) == 1, record_id
    return found[0]


# ---- the page as text ---------------------------------------------------------------------------

def test_html_is_a_registered_format_writing_one_file(small, tmp_path):
    assert "html" in FORMATS
    assert export(small, "html", tmp_path / "site") == [tmp_path / "site" / "index.html"]


def test_the_shipped_data_gives_valid_self_contained_html(ds, tmp_path):
    [path] = export(ds, "html", tmp_path)
    text = path.read_text("utf-8")
    doc = parse(text)
    assert ds.version in text and ds.fingerprint in text
    # self-contained: nothing is loaded, whatever is linked
    assert not re.search(r"<(link|img|iframe|object|embed|audio|video|source)\b", text)
    assert not re.search(r"<script\b[^>]*\bsrc=", text) and " src=" not in text
    assert "default-src 'none'" in text
    ids = {d.get("id") for d in doc.iter(f"{NS}details")}
    shown = [r for r in ds.timeline() if r.date.placed.year >= page.FIRST_YEAR]
    assert ids == {page.anchor(r.id) for r in shown}


def test_data_is_escaped_never_markup(small, tmp_path):
    [path] = export(small, "html", tmp_path)
    text = path.read_text("utf-8")
    doc = parse(text)
    assert EVIL not in text and 'alert("owned")' not in text
    assert "&lt;script&gt;" in text
    assert len(list(doc.iter(f"{NS}script"))) == 1  # ours, the filter
    assert not list(doc.iter(f"{NS}b"))
    event = details(doc, "evil-event")
    assert EVIL in text_of(event)  # shown as text, as written
    # a non-http(s) address is shown, never linked
    hrefs = [a.get("href") for a in doc.iter(f"{NS}a")]
    assert "javascript:alert(1)" not in hrefs and "javascript:alert(1)" in text_of(event)


def test_the_content_security_policy_allows_exactly_the_filter_script(small):
    text = page.render(small)
    [script] = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in text


def test_records_open_to_their_citations_and_voices(small):
    doc = parse(page.render(small))
    total = text_of(details(doc, "total"))
    for expected in ("a claim in our own words", "para. 2", "Cabinet report", "AZERTAC, 30 Oct 2023",
                     "https://azertac.az/1", "own outlet of Azerbaijan", "government", "reported",
                     "≥33,000,000 USD", "57,000,000 AZN", "≥2,000 tonnes"):
        assert expected in total, expected
    visit = text_of(details(doc, "kyiv-visit"))
    assert "relays Ministry of Foreign Affairs of Azerbaijan" in visit
    links = {a.get("href") for a in details(doc, "total").iter(f"{NS}a")}
    assert f"{page.REPOSITORY_DATA_URL}/aid/total.toml" in links and "https://azertac.az/1" in links
    assert page.REPOSITORY_DATA_URL == "https://github.com/azukr/azukr/blob/main/azukr_data"


def test_disputes_sit_with_the_records_they_are_about(small):
    doc = parse(page.render(small))
    visit = details(doc, "kyiv-visit")
    disputes = [d for d in visit.iter(f"{NS}div") if d.get("class") == "dispute"]
    assert len(disputes) == 1
    body = text_of(disputes[0])
    assert "When was the visit?" in body and "2004-06" in body and f"2004-07 {EVIL}" in body
    assert "June" in body and "July" in body and "Trend relays the ministry" in body
    assert "disputed" in text_of(visit.find(f"{NS}summary"))
    assert not [d for d in details(doc, "shipment").iter(f"{NS}div") if d.get("class") == "dispute"]


def test_the_page_says_version_fingerprint_and_date_and_starts_in_1991(small, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    text = page.render(small)
    assert "2023-11-14" in text and small.fingerprint in text and ">test<" in text
    assert "Before 1991" not in text and "1 record(s) dated before 1991" in text


def test_filters_list_actors_kinds_collections_and_source_kinds(small):
    doc = parse(page.render(small))
    options = {s.get("name"): [o.get("value") for o in s.iter(f"{NS}option")] for s in doc.iter(f"{NS}select")}
    assert {"azerbaijan", "ukraine", "kyiv"} <= set(options["actor"])
    assert {"statement", "visit", "energy-equipment", "humanitarian"} <= set(options["kind"])
    assert set(options["collection"]) == {"", "events", "aid"}
    assert set(options["source-kind"]) == {"", "news", "government", "other"}
    record = next(li for li in doc.iter(f"{NS}li") if li.get("class") == "record"
                  and li.find(f"{NS}details").get("id") == page.anchor("kyiv-visit"))
    assert record.get("data-actors").split() == ["azerbaijan", "kyiv", "ukraine"]
    assert record.get("data-source-kinds").split() == ["news", "government"]


def test_aid_is_drawn_per_currency_with_reported_totals_as_spans(small):
    chart = page.aid_chart(list(small.aid), {"total": ["Cabinet"]})
    assert chart is not None
    titles = [p.title for p in chart.panels]
    assert titles[:2] == ["Amounts in AZN (never converted)", "Amounts in USD (never converted)"]
    usd = chart.panels[1]
    assert [m.href for m in usd.marks] == ["#r-shipment"] and usd.marks[0].status == "delivered"
    [span] = usd.spans
    assert span.href == "#r-total" and span.open_start and not span.open_end
    assert "≥33,000,000 USD" in span.label and "up to 30 Oct 2023" in span.label and "Cabinet" in span.label
    assert "AZN" not in span.label  # never converted, never mixed
    assert span.x1 == chart.left and span.x2 > span.x1
    goods = chart.panels[2]
    assert [m.href for m in goods.marks] == ["#r-shipment"] and "≥2,000 tonnes" in goods.spans[0].label
    doc = parse(page.render(small))
    svg = next(doc.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}a"))) == 6  # 3 panels, a mark and a span each


def test_dates_read_as_people_write_them():
    parse_date = azukr.PartialDate.parse
    assert page.date_text(parse_date("2023-10-30")) == "30 Oct 2023"
    assert page.date_text(parse_date("../2023-08")) == "up to Aug 2023"
    assert page.date_text(parse_date("2022-02-24/")) == "from 24 Feb 2022 (end unknown)"
    assert page.date_text(parse_date("2022-02/2025-04~")) == "Feb 2022 – c. Apr 2025"
    assert page.short_money(Decimal("33000000")) == "33M" and page.short_money(Decimal("1422000")) == "1.422M"


def test_without_jinja2_the_command_names_the_extra(monkeypatch, tmp_path, capsys):
    from azukr.cli import main

    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 now raises ImportError
    code = main(["export", "--format", "html", "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and 'pip install "azukr[html]"' in err and "Traceback" not in err
    assert not (tmp_path / "site" / "index.html").exists()
    with pytest.raises(ImportError):
        page.render(azukr.load())


# ---- a real browser ----------------------------------------------------------------------------

def _browser_or_skip():
    """Playwright's API, or a skip where no chromium is installed (and only there: without
    playwright, a machine with chromium fails the test)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: install the Debian package (apt-get install chromium)")
    from playwright import sync_api

    return sync_api


def test_in_chromium_filters_search_and_citations_work_offline(ds, tmp_path):
    sync_api = _browser_or_skip()
    [path] = export(ds, "html", tmp_path)
    url = path.as_uri()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1100})
            page_ = context.new_page()
            problems: list[str] = []
            requests: list[str] = []
            page_.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page_.on("pageerror", lambda e: problems.append(str(e)))
            page_.on("request", lambda r: requests.append(r.url))
            page_.goto(url)
            total = page_.locator("li.record").count()
            assert total > 0 and page_.locator("#filters").is_visible()

            def visible() -> list[dict[str, str]]:
                return page_.eval_on_selector_all(
                    "li.record:not([hidden])", "els => els.map(e => Object.assign({}, e.dataset))")

            def reset() -> None:
                page_.click("button[type=reset]")  # the form resets, then the filter applies
                page_.wait_for_function("() => !document.querySelector('li.record[hidden]')", timeout=5000)
                assert len(visible()) == total

            def choose(name: str, value: str) -> list[dict[str, str]]:
                page_.select_option(f"select[name={name}]", value)
                shown = visible()
                assert 0 < len(shown) < total, (name, value)
                reset()
                return shown

            assert all(r["collection"] == "aid" for r in choose("collection", "aid"))
            assert all(r["kind"] == "energy-equipment" for r in choose("kind", "energy-equipment"))
            assert all("government" in r["sourceKinds"].split() for r in choose("source-kind", "government"))
            assert all("ilham-aliyev" in r["actors"].split() for r in choose("actor", "ilham-aliyev"))
            assert all(r["year"] == "2023" for r in choose("year", "2023"))
            assert "records shown" in page_.locator("#shown").inner_text()

            page_.fill("input[name=q]", "transformer")
            found = page_.locator("li.record:not([hidden])")
            assert 0 < found.count() < total
            assert all("transformer" in t.lower() for t in found.all_text_contents())
            page_.fill("input[name=q]", "no record says zzqqxx")
            assert found.count() == 0 and page_.locator("section.year:not([hidden])").count() == 0
            reset()

            # what did Azerbaijan send to Ukraine in 2023, and who says so?
            page_.select_option("select[name=collection]", "aid")
            page_.select_option("select[name=year]", "2023")
            first = page_.locator("li.record:not([hidden]) details").first
            citation = first.locator("li.citation").first
            assert not citation.is_visible()
            first.locator("summary").focus()
            page_.keyboard.press("Enter")  # keyboard opens a record
            assert first.get_attribute("open") is not None and citation.is_visible()
            assert first.locator(".source .badge").first.is_visible()
            page_.keyboard.press("Enter")
            assert first.get_attribute("open") is None
            with_amount = page_.locator("li.record:not([hidden]):has(.amounts) summary").first
            with_amount.click()
            page_.locator("#timeline-h").evaluate("heading => heading.scrollIntoView()")
            (REPO / "docs").mkdir(exist_ok=True)
            page_.screenshot(path=str(REPO / "docs" / "screenshot.png"))

            # a mark in the aid picture leads to its record
            reset()
            mark = page_.locator("#aid svg a").first
            target = mark.get_attribute("href")
            mark.click()
            # the page opens the record on the hash change: wait for it rather than race it
            page_.wait_for_function("sel => document.querySelector(sel)?.hasAttribute('open')", arg=target,
                                    timeout=10_000)
            assert page_.locator(target).get_attribute("open") is not None

            assert problems == []
            assert requests and all(r.startswith("file://") for r in requests), requests

            # JavaScript off: every record is there, the filters are not offered
            off = browser.new_context(java_script_enabled=False).new_page()
            off.goto(url)
            assert off.locator("li.record").count() == total == off.locator("li.record:visible").count()
            assert not off.locator("#filters").is_visible()
            off.locator("li.record summary").first.click()
            assert off.locator("li.record details[open] li.citation").first.is_visible()

            # a phone: no sideways scrolling of the page itself
            phone = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
            phone.goto(url)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        finally:
            browser.close()
