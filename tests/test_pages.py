"""The pages in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import pytest

from servers import Server, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    with running_server(tmp_path_factory.mktemp("pages"), "--quiet") as running:
        yield running


@pytest.fixture
def page(browser, server):
    """A fresh page (empty localStorage) that records console errors and outside requests."""
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.outside = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "request",
        lambda r: not r.url.startswith(server.url) and page.outside.append(r.url),
    )
    yield page
    context.close()


def test_search_finds_norad_by_its_french_name_and_opens_its_page(page, server):
    page.goto(server.url + "/")
    page.fill("#search", "commandement de la defense aerospatiale")  # no accents, any case
    first = page.locator("#search-results a").first
    first.wait_for()
    assert first.get_attribute("href") == "/id/norad"
    first.click()
    page.wait_for_url(server.url + "/id/norad")
    assert page.locator("h1").inner_text() == "North American Aerospace Defense Command"
    assert page.errors == [] and page.outside == []


def test_search_by_french_acronym(page, server):
    page.goto(server.url + "/")
    page.fill("#search", "GRC")
    first = page.locator("#search-results a").first
    first.wait_for()
    assert first.get_attribute("href") == "/id/rcmp"


def test_pages_load_without_console_errors_or_outside_requests(page, server):
    for path in ("/", "/id/norad", "/id/canada", "/id/source-seed-page", "/ontology"):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert page.errors == []
    assert page.outside == []


def test_language_switch_works_and_is_remembered(page, server):
    page.goto(server.url + "/id/norad")
    heading = page.locator("h1")
    assert heading.inner_text() == "North American Aerospace Defense Command"
    page.click("#lang-fr")
    assert heading.inner_text() == "Commandement de la défense aérospatiale de l'Amérique du Nord"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.goto(server.url + "/id/ibet")  # another page: still French
    assert page.locator("h1").inner_text() == "Équipes intégrées de la police des frontières"
    page.keyboard.press("Tab")  # the switch works from the keyboard too
    page.focus("#lang-en")
    page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Integrated Border Enforcement Teams"
    assert page.errors == []


def test_query_editor_runs_a_saved_query(page, server):
    page.goto(server.url + "/")
    page.select_option("#editor-saved", "agencies-in-program")
    assert "canus:leadAgency" in page.input_value("#editor")
    page.click("#editor-run")
    rows = page.locator("#editor-output table tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 5
    headers = page.locator("#editor-output thead th").all_inner_texts()
    assert headers[:3] == ["program", "agency", "name"]
    assert "Royal Canadian Mounted Police" in page.locator("#editor-output").inner_text()
    assert page.errors == []


def test_saved_query_runs_from_the_catalog_with_a_parameter(page, server):
    page.goto(server.url + "/#query-agencies-in-program")
    entry = page.locator("#query-agencies-in-program")
    entry.locator("summary").click()
    entry.locator("input[name=program]").fill("id:nexus")
    entry.locator("button[type=submit]").click()
    table = entry.locator(".output table")
    table.wait_for()
    assert "Canada Border Services Agency" in table.inner_text()
    assert "Royal Canadian Mounted Police" not in table.inner_text()
