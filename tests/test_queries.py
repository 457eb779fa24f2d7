"""Saved queries: every one answers, matches its expected answer, and binds parameters safely."""

from __future__ import annotations

import os
import re

import pytest

import canus
from canus._errors import ParameterError, QueryError

from conftest import EXPECTED, ROOT, invoke

UPDATE = os.environ.get("CANUS_UPDATE_EXPECTED") == "1"
CATALOG = canus.catalog(ROOT)
ID = "https://w3id.org/canus/id/"


def test_catalog_has_at_least_fifteen_queries():
    assert len(CATALOG) >= 15


@pytest.mark.parametrize("saved", CATALOG, ids=lambda q: q.name)
def test_query_header_follows_the_contract(saved):
    assert saved.title, "missing '# title:'"
    assert saved.description, "missing '# description:'"
    assert saved.tags, "missing '# tags:'"
    for param in saved.params:
        # a SELECT query projects its parameters, so they can be bound as RDF terms
        assert re.search(rf"SELECT\b[^{{]*\?{param.name}\b", saved.text, re.S), param.name


@pytest.mark.parametrize("saved", CATALOG, ids=lambda q: q.name)
def test_query_matches_its_expected_answer(saved, kg):
    result = canus.query(kg, saved.name)
    expected = EXPECTED / "queries" / f"{saved.name}.csv"
    actual = result.render("csv")
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(actual.encode("utf-8"))
    assert actual == expected.read_bytes().decode("utf-8")


def ids(result, column):
    return {v.removeprefix(ID) for v in result.column(column) if v}


def test_agencies_in_ibet_are_the_five_core_agencies(kg):
    result = canus.query(kg, "agencies-in-program", {"program": "id:ibet"})
    assert ids(result, "agency") == {"rcmp", "cbsa", "cbp", "ice", "uscg"}
    countries = dict(zip(result.column("agency"), result.column("country"), strict=True))
    assert countries[ID + "cbsa"] == ID + "canada"
    assert countries[ID + "uscg"] == ID + "united-states"


def test_nexus_is_run_by_cbsa_and_cbp(kg):
    result = canus.query(kg, "agencies-in-program", {"program": ID + "nexus"})
    assert {"cbsa", "cbp"} <= ids(result, "agency")


def test_norad_agreement_renewals_in_order_with_1981_and_2006(kg):
    result = canus.query(kg, "agreement-renewals")
    dates = result.column("date")
    assert dates == sorted(dates)
    years = {d[:4] for d in dates}
    assert {"1968", "1975", "1981", "1986", "1996", "2006"} <= years
    row_2006 = next(r for r in result.records() if r["date"].startswith("2006"))
    assert "Maritime warning" in row_2006["addedMissions"]


def test_mission_changes_of_norad(kg):
    result = canus.query(kg, "mission-changes")
    pairs = {(r["date"][:4], r["missionName"]) for r in result.records()}
    assert ("2006", "Maritime warning") in pairs
    assert ("1996", "Aerospace warning") in pairs


def test_timeline_starts_with_ogdensburg_and_is_ordered(kg):
    result = canus.query(kg, "agreements-timeline")
    dates = result.column("date")
    assert dates == sorted(dates)
    assert result.records()[0]["agreement"] == ID + "ogdensburg-agreement-1940"
    norad = next(r for r in result.records() if r["agreement"] == ID + "norad-agreement-1958")
    assert norad["date"] == "1958-05-12"


def test_operations_with_areas_and_start_dates(kg):
    result = canus.query(kg, "operations")
    names = {r["operation"].removeprefix(ID): r for r in result.records()}
    assert {"operation-neon", "operation-reassurance", "operation-impact"} <= set(names)
    assert names["operation-reassurance"]["start"].startswith("2014")
    assert "Latvia" in names["operation-reassurance"]["areas"]


def test_canada_and_us_are_media_freedom_coalition_members(kg):
    result = canus.query(kg, "members")
    assert {"canada", "united-states"} <= ids(result, "member")


def test_initiatives_canada_takes_part_in(kg):
    result = canus.query(kg, "initiatives-of", {"participant": "id:canada"})
    found = ids(result, "initiative")
    assert {"ibet", "operation-reassurance", "operation-neon"} <= found


def test_says_who_lists_sources_with_urls(kg):
    result = canus.query(kg, "sources-of", {"thing": "id:nexus"})
    assert len(result) >= 2
    assert all(url.startswith("http") for url in result.column("url"))


def test_card_in_both_languages(kg):
    (row,) = canus.query(kg, "card", {"thing": "id:rcmp"}).records()
    assert row["nameEn"] == "Royal Canadian Mounted Police"
    assert row["nameFr"] == "Gendarmerie royale du Canada"


def test_curation_gaps_check_returns_nothing(kg):
    assert len(canus.query(kg, "curation-gaps-violation")) == 0


def test_curation_gaps_check_finds_a_gap(mini_root):
    from conftest import BAD

    root = mini_root(BAD / "_base.ttl", BAD / "agency-no-french-label.ttl")
    result = canus.query(canus.load(root), ROOT / "queries" / "curation-gaps-violation.rq")
    assert result.records() == [{"thing": ID + "cbsa", "kind": "Agency", "missing": "French label"}]


def test_integer_parameter(kg):
    many = canus.query(kg, "renewed-agreements", {"min": "5"})
    assert ids(many, "agreement") == {"norad-agreement-1958"}
    assert len(canus.query(kg, "renewed-agreements", {"min": "1000"})) == 0


def test_date_parameters(kg):
    result = canus.query(kg, "events-between", {"from": "2001-01-01", "to": "2001-12-31"})
    assert result.column("date")
    assert all(d.startswith("2001") for d in result.column("date"))


def test_string_parameter_is_bound_not_pasted(kg):
    hostile = '") } SELECT * WHERE { ?s ?p ?o } #'
    assert len(canus.query(kg, "search", {"text": hostile})) == 0
    assert "id:rcmp" in {
        kg.compact(v) for v in canus.query(kg, "search", {"text": "gendarmerie"}).column("thing")
    }


def test_iri_parameter_of_wrong_type_is_refused(kg):
    with pytest.raises(ParameterError, match="expected an IRI"):
        canus.query(kg, "agencies-in-program", {"program": "not an iri"})


def test_unknown_parameter_is_refused(kg):
    with pytest.raises(ParameterError, match="has no parameter 'colour'"):
        canus.query(kg, "agencies-in-program", {"colour": "red"})


def test_unknown_query_name(kg):
    with pytest.raises(QueryError, match="unknown query 'agencies-in-progam'"):
        canus.query(kg, "agencies-in-progam")


def test_ask_construct_describe(kg):
    ask = canus.run_sparql(kg, "ASK { ?x a <https://w3id.org/canus/ontology#Command> }")
    assert ask.kind == "ask" and ask.boolean is True
    graph = canus.run_sparql(kg, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ", {"s": "id:norad"})
    assert graph.kind == "graph" and len(graph) > 5
    assert "id:norad" in graph.render() and graph.render().startswith("@prefix")
    described = canus.run_sparql(kg, "DESCRIBE <https://w3id.org/canus/id/nexus>")
    assert described.kind == "graph" and len(described) > 3


def test_cli_formats(kg):
    for fmt, marker in [
        ("table", "(5 rows)"),
        ("csv", "program,agency"),
        ("tsv", "?program\t?agency"),
        ("json", '"bindings"'),
        ("md", "| program | agency |"),
    ]:
        proc = invoke("query", "agencies-in-program", "--param", "program=id:ibet", "--format", fmt)
        assert proc.exit_code == 0, proc.stderr
        assert marker in proc.stdout


def test_cli_query_from_file_and_sparql_text():
    proc = invoke("query", "queries/agencies.rq", "--format", "csv")
    assert proc.exit_code == 0 and proc.stdout.startswith("agency,")
    proc = invoke(
        "query",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/canus/ontology#Agency> }",
    )
    assert proc.exit_code == 0 and "(1 row)" in proc.stdout


def test_cli_queries_lists_the_catalog():
    proc = invoke("queries")
    assert proc.exit_code == 0
    names = [line.split()[0] for line in proc.stdout.splitlines()]
    assert names == sorted(q.name for q in CATALOG)
    assert "[program:iri?]" in proc.stdout


def test_cli_queries_json_catalog():
    import json

    proc = invoke("queries", "--format", "json")
    assert proc.exit_code == 0
    entries = {e["name"]: e for e in json.loads(proc.stdout)}
    assert entries["agencies-in-program"]["params"] == [
        {"name": "program", "type": "iri", "default": "https://w3id.org/canus/id/ibet"}
    ]
