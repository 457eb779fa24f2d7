"""The static site of a build, opened from disk (file://) in a real headless Chromium (Debian's
``chromium`` driven by Playwright): it draws, searches, switches language and runs SPARQL with
no server and no network request; and every internal link of every page resolves."""

from __future__ import annotations

import os
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from release import built


@pytest.fixture(scope="module")
def site() -> Path:
    return built()[0] / "site"


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and every request that is not a local file."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.errors = []
    page.outside = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("request", lambda r: not r.url.startswith("file://") and page.outside.append(r.url))
    yield page
    context.close()


def _open(page, site: Path, name: str) -> None:
    path, _, fragment = name.partition("#")
    page.goto((site / path).as_uri() + (f"#{fragment}" if fragment else ""))


# ---- screenshots ---------------------------------------------------------------------------


def _png_colours(data: bytes) -> int:
    """How many distinct colours an 8-bit RGB/RGBA PNG (a Chromium screenshot) holds."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, width = 8, [], 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, channels * 4))
        previous = line
    return len(colours)


def test_timeline_draws_and_filters_by_theme_and_country(page, site):
    _open(page, site, "timeline.html")
    marks = page.locator("#timeline svg circle")
    marks.first.wait_for()
    total = marks.count()
    assert total > 50
    assert _png_colours(page.locator("#timeline").screenshot()) > 4  # not blank
    page.select_option("#tl-theme", "https://w3id.org/canus/id/theme-border-security")
    by_theme = marks.count()
    assert 0 < by_theme < total
    page.select_option("#tl-theme", "")
    page.select_option("#tl-country", "https://w3id.org/canus/id/mexico")
    assert 0 < marks.count() < total
    assert page.locator("#timeline-list li:not([hidden])").count() == marks.count()
    assert page.errors == [] and page.outside == []


def test_network_draws_filters_and_each_node_opens_its_page(page, site):
    _open(page, site, "network.html")
    nodes = page.locator("#network svg a.node")
    nodes.first.wait_for()
    total = nodes.count()
    assert total > 30
    assert _png_colours(page.locator("#network").screenshot()) > 4
    page.uncheck("input[name=group][value=Country]")
    assert 0 < nodes.count() < total
    page.fill("#net-filter", "IBET")
    assert 1 < nodes.count() < 20
    href = nodes.first.get_attribute("href")
    with page.expect_navigation():
        nodes.first.locator("circle").click()
    assert page.url.endswith(href.removeprefix("./")) and "/id/" in page.url
    assert page.locator("h1").inner_text()
    assert page.errors == [] and page.outside == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Agence des services frontaliers", "id/cbsa.html"),  # French name
        ("commandement de la defense aerospatiale", "id/norad.html"),  # no accents, lower case
        ("GRC", "id/rcmp.html"),  # French acronym
    ],
)
def test_search_finds_a_thing_by_its_french_name_or_acronym(page, site, typed, found):
    _open(page, site, "index.html")
    page.fill("#search", typed)
    first = page.locator("#search-results li a").first
    first.wait_for()
    hrefs = page.locator("#search-results li a").evaluate_all("as => as.map(a => a.href)")
    assert any(h.endswith("/site/" + found) for h in hrefs[:3]), hrefs[:3]
    assert page.errors == [] and page.outside == []


def test_every_page_searches_from_its_header(page, site):
    _open(page, site, "ontology/party.html")
    page.fill("#q-top", "Agence des services frontaliers")
    with page.expect_navigation():
        page.press("#q-top", "Enter")
    page.locator("#search-results li a").first.wait_for()
    assert page.locator("#search-results li a").first.get_attribute("href").endswith("cbsa.html")
    assert page.errors == [] and page.outside == []


def test_language_switch_works_and_is_remembered(page, site):
    _open(page, site, "id/norad.html")
    heading = page.locator("h1")
    assert heading.inner_text() == "North American Aerospace Defense Command"
    page.click("#lang-fr")
    assert heading.inner_text() == "Commandement de la défense aérospatiale de l'Amérique du Nord"
    assert page.locator("html").get_attribute("lang") == "fr"
    _open(page, site, "timeline.html")
    assert page.locator("h1").inner_text() == "Chronologie"
    assert page.locator("#tl-theme option").first.inner_text() == "Tous les thèmes"
    page.click("#lang-en")
    assert page.locator("h1").inner_text() == "Timeline"


def test_query_page_runs_a_saved_query_in_the_browser(page, site):
    if not (site / "static/oxigraph.js").is_file():
        message = "the query page needs the npm package oxigraph (make vendor)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    _open(page, site, "query.html#agencies-in-program")
    page.click("#run")
    page.locator("#query-output table").wait_for(timeout=30_000)
    cells = page.locator("#query-output td").all_inner_texts()
    assert "Royal Canadian Mounted Police" in cells
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a canus:Agency }"
    prefixed = "PREFIX canus: <https://w3id.org/canus/ontology#> " + query
    expected = next(iter(built()[1].store.query(prefixed, use_default_graph_as_union=True)))["n"]
    page.fill("#sparql", query)
    page.click("#run")
    page.wait_for_function(
        f"document.querySelector('#query-output td')?.textContent === '{expected.value}'"
    )
    assert page.errors == [] and page.outside == []


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "ontology/index.html",
        "ontology/Agency.html",
        "coverage.html",
        "downloads.html",
        "id/norad.html",
        "query.html",
    ],
)
def test_pages_load_with_no_console_error_and_no_request_out(page, site, name):
    _open(page, site, name)
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1
    page.click("details.cite summary")
    assert page.locator("details.cite pre.cite-bibtex").inner_text().startswith("@misc{")
    assert '"version": "' in page.locator("details.cite pre.cite-csl").inner_text()
    assert page.errors == []
    assert page.outside == []


# ---- links (no browser needed) ---------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            elif name == "id" and value:
                self.ids.add(value)


def test_every_internal_link_of_the_site_resolves(site):
    """Every page links only to files of the build (and anchors that exist), and cites."""
    pages = sorted(site.rglob("*.html"))
    parsed = {}
    for path in pages:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    assert all('<details class="cite"' in p.read_text(encoding="utf-8") for p in pages)
    broken = []
    checked = 0
    for path, parser in parsed.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # outside the site: a source document, an IRI
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            checked += 1
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else set()
                if parts.fragment not in ids:
                    broken.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    assert checked > len(pages) * 10
    assert broken == []


def test_every_thing_has_a_page(site):
    kg = built()[1]
    from canus.web._pages import all_slugs

    assert {p.stem for p in (site / "id").glob("*.html")} == set(all_slugs(kg))


class _ArticleLinks(HTMLParser):
    """The links of a page's ``<article>``, leaving out its saved-query and download sections
    (the site runs queries on its own page; the server has an API)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "article":
            self.depth += 1
        skipped = self.skip or values.get("aria-labelledby") in ("queries-h", "dl-h")
        if tag == "section" and self.depth and skipped:
            self.skip += 1
        if tag == "a" and self.depth and not self.skip and values.get("href"):
            self.links.add(_normalized(values["href"]))

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag == "section" and self.skip:
            self.skip -= 1


def _normalized(href: str) -> str:
    """``../id/norad.html`` (site) and ``/id/norad`` (server) both as ``id/norad``."""
    path = href.removesuffix(".html")
    while path.startswith(("../", "./", "/")):
        path = path.split("/", 1)[1]
    return path


@pytest.mark.parametrize("slug", ["norad", "ibet", "cbsa", "norad-agreement-1958", "canada"])
def test_a_thing_page_links_what_the_serve_page_links(site, slug):
    """The site's page of a thing and the page ``canus serve`` gives for it show the same
    things: both come from the same view, and neither template leaves a part of it out."""
    from canus import catalog
    from canus.web._pages import thing_view
    from canus.web._render import Renderer

    kg = built()[1]
    view = thing_view(kg, "https://w3id.org/canus/id/" + slug, catalog(kg))
    served, static = _ArticleLinks(), _ArticleLinks()
    served.feed(Renderer().render("thing.html", thing=view, formats=[]).decode("utf-8"))
    static.feed((site / "id" / f"{slug}.html").read_text(encoding="utf-8"))
    assert len(static.links) > 5
    assert static.links == served.links
