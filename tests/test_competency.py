"""Competency questions: what an analyst asks, with the answer the sources give.

Each answer below was checked against the source the graph cites for it; the saved queries
(tests/test_queries.py) are the other half of the competency questions.
"""

from __future__ import annotations

import pytest

import canus

ID = "https://w3id.org/canus/id/"


def ask(kg, sparql: str, **params: str) -> list[dict]:
    return canus.run_sparql(kg, sparql, params).records()


def slugs(values) -> set[str]:
    return {v.removeprefix(ID) for v in values if v}


def test_when_was_the_norad_agreement_concluded_and_where(kg):
    (row,) = ask(
        kg,
        "SELECT ?date WHERE { ?s a canus:Signing ; canus:agreement id:norad-agreement-1958 ;"
        " canus:date ?date }",
    )
    assert row["date"] == "1958-05-12"


def test_which_renewal_renamed_norad_to_aerospace(kg):
    rows = canus.query(kg, "agreement-renewals").records()
    renamed = [r for r in rows if "Aerospace Defense Command" in (r["change"] or "")]
    assert [r["date"][:4] for r in renamed] == ["1981"]


def test_since_when_is_the_norad_agreement_of_indefinite_duration(kg):
    rows = canus.query(kg, "agreement-renewals").records()
    row = next(r for r in rows if "without an expiry date" in (r["change"] or ""))
    assert row["date"] == "2006-05-12"


def test_who_approved_the_2021_joint_statement_on_norad_modernization(kg):
    rows = ask(
        kg,
        """SELECT ?person ?date WHERE {
                      ?e canus:agreement id:joint-statement-norad-modernization-2021 ;
                      canus:signatory ?person ; canus:date ?date }""",
    )
    assert slugs(r["person"] for r in rows) == {"harjit-sajjan", "lloyd-austin"}
    assert {r["date"] for r in rows} == {"2021-08-14"}


def test_where_is_norad_headquartered(kg):
    rows = canus.query(kg, "headquarters").records()
    norad = next(r for r in rows if r["organization"] == ID + "norad")
    assert norad["place"] == "Peterson Space Force Base"
    assert norad["country"] == ID + "united-states"


def test_what_created_the_permanent_joint_board_on_defence(kg):
    (row,) = ask(
        kg,
        "SELECT ?a ?date WHERE { id:pjbd canus:establishedBy ?a ."
        " ?s a canus:Signing ; canus:agreement ?a ; canus:date ?date }",
    )
    assert row["a"] == ID + "ogdensburg-agreement-1940"
    assert row["date"] == "1940-08-18"


def test_who_signed_the_ogdensburg_agreement(kg):
    rows = canus.query(kg, "signatories").records()
    names = {r["personName"] for r in rows if r["agreementName"] == "Ogdensburg Agreement"}
    assert names == {"William Lyon Mackenzie King", "Franklin D. Roosevelt"}


def test_which_agencies_run_nexus(kg):
    rows = canus.query(kg, "agencies-in-program", program="id:nexus").records()
    assert slugs(r["agency"] for r in rows if r["lead"] == "true") == {"cbsa", "cbp"}


def test_how_many_regions_does_ibet_cover(kg):
    rows = canus.query(kg, "figures").records()
    regions = {
        r["value"] for r in rows if r["about"] == ID + "ibet" and r["measure"] == "region count"
    }
    assert regions == {"15"}


def test_which_un_resolutions_does_operation_neon_support(kg):
    rows = canus.query(kg, "resolutions-supported").records()
    assert {r["symbol"] for r in rows if r["initiative"] == ID + "operation-neon"} == {
        "S/RES/1718 (2006)",
        "S/RES/2397 (2017)",
    }


def test_what_does_operation_impact_support(kg):
    rows = ask(kg, "SELECT ?x WHERE { id:operation-impact canus:supports ?x }")
    assert slugs(r["x"] for r in rows) == {
        "operation-inherent-resolve",
        "global-coalition-against-daesh",
    }


def test_which_operations_are_in_latvia_and_who_leads_the_battle_group(kg):
    assert slugs(canus.query(kg, "operations-in", place="id:latvia").column("initiative")) == {
        "operation-reassurance"
    }
    rows = ask(
        kg,
        """SELECT ?label WHERE { ?m org:member id:canada ;
           org:organization id:nato-efp-battle-group-latvia ; rdfs:label ?label
           FILTER(LANG(?label) = "en") }""",
    )
    assert rows == [{"label": "Canada as framework nation of NATO's eFP Battle Group Latvia"}]


def test_who_contributed_to_the_latvia_battle_group_at_its_start(kg):
    rows = canus.query(kg, "joined-between", {"from": "2017", "to": "2017"}).records()
    founders = {
        r["memberName"]
        for r in rows
        if r["organization"] == ID + "nato-efp-battle-group-latvia" and r["since"] == "2017-06-19"
    }
    assert founders == {"Albania", "Canada", "Italy", "Poland", "Slovenia", "Spain"}


def test_who_signed_the_smart_border_declaration_and_when(kg):
    rows = canus.query(kg, "signatories").records()
    smart = {
        (r["date"], r["personName"])
        for r in rows
        if r["agreementName"] == "Smart Border Declaration"
    }
    assert smart == {("2001-12-12", "John Manley"), ("2001-12-12", "Tom Ridge")}


def test_safe_third_country_agreement_signed_and_in_force(kg):
    (signed,) = ask(
        kg,
        "SELECT ?d WHERE { ?s a canus:Signing ; canus:agreement id:safe-third-country-agreement ;"
        " canus:date ?d }",
    )
    assert signed["d"] == "2002-12-05"
    dates = {
        r["date"]
        for r in canus.query(kg, "history-of", thing="id:safe-third-country-agreement").records()
    }
    assert "2004-12-29" in dates


def test_where_and_by_whom_was_the_shiprider_agreement_signed(kg):
    rows = ask(
        kg,
        """SELECT ?person ?place WHERE {
                      ?s a canus:Signing ; canus:agreement id:shiprider-framework-agreement-2009 ;
                      canus:signatory ?person ; canus:place ?place }""",
    )
    assert slugs(r["person"] for r in rows) == {"peter-van-loan", "janet-napolitano"}
    assert slugs(r["place"] for r in rows) == {"detroit"}


def test_which_coalitions_do_both_countries_belong_to(kg):
    shared = slugs(canus.query(kg, "shared-memberships").column("organization"))
    assert {"media-freedom-coalition", "global-partnership", "nato", "g7"} <= shared


def test_when_was_the_global_partnership_launched_and_where(kg):
    rows = canus.query(kg, "foundings").records()
    launch = next(r for r in rows if r["event"] == ID + "global-partnership-launch-2002")
    assert launch["date"] == "2002-06-27"
    assert "Kananaskis" in launch["concerns"]


def test_which_program_delivers_canadas_part_of_the_global_partnership(kg):
    rows = ask(kg, "SELECT ?p WHERE { ?p canus:supports id:global-partnership ; a canus:Program }")
    assert "weapons-threat-reduction-program" in slugs(r["p"] for r in rows)


def test_where_was_the_media_freedom_coalition_formed(kg):
    rows = canus.query(kg, "meetings").records()
    london = next(
        r for r in rows if r["meeting"] == ID + "global-conference-for-media-freedom-2019"
    )
    assert london["place"] == "London" and london["date"] == "2019-07"


def test_media_freedom_coalition_member_count_claims_disagree_and_one_is_preferred(kg):
    rows = [
        r
        for r in canus.query(kg, "source-disagreements").records()
        if r["about"] == ID + "media-freedom-coalition" and r["measure"] == "member count"
    ]
    assert {"52", "51", "36"} <= {r["value"] for r in rows}
    assert [r["value"] for r in rows if r["preferred"] == "true"] == ["36"]


def test_nexus_membership_as_of_a_date(kg):
    rows = [r for r in canus.query(kg, "figures").records() if r["about"] == ID + "nexus"]
    preferred = [r for r in rows if r["preferred"] == "true"]
    assert [(r["value"], r["asOf"]) for r in preferred] == [("950393", "2014-01")]


def test_french_names_of_the_border_agencies(kg):
    rows = {
        r["agency"]: r["nameFr"]
        for r in canus.query(kg, "agencies-of", country="id:canada").records()
    }
    assert rows[ID + "cbsa"] == "Agence des services frontaliers du Canada"
    assert rows[ID + "rcmp"] == "Gendarmerie royale du Canada"
    assert rows[ID + "public-safety-canada"] == "Sécurité publique Canada"


def test_which_agencies_sit_under_homeland_security(kg):
    assert slugs(canus.query(kg, "parts-of", parent="id:dhs").column("organization")) == {
        "cbp",
        "ice",
        "uscg",
    }


def test_which_agencies_take_part_in_more_than_one_program(kg):
    rows = canus.query(kg, "shared-programs").records()
    assert {"rcmp", "cbsa", "cbp", "uscg"} <= slugs(r["agency"] for r in rows)
    assert all(int(r["count"]) > 1 for r in rows)


def test_which_agreements_were_renewed_more_than_five_times(kg):
    rows = canus.query(kg, "renewed-agreements", min="6").records()
    assert slugs(r["agreement"] for r in rows) == {"norad-agreement-1958"}


@pytest.mark.parametrize(
    ("person", "office", "date"),
    [
        ("brian-mulroney", "Prime Minister of Canada", "1986-03-19"),
        ("ronald-reagan", "President of the United States", "1986-03-19"),
    ],
)
def test_who_signed_in_which_office(kg, person, office, date):
    rows = canus.query(kg, "signatories").records()
    assert any(
        r["person"] == ID + person and r["officeName"] == office and r["date"] == date for r in rows
    )


def test_every_seed_item_is_in_the_graph(kg):
    seed = [
        "norad",
        "norad-agreement-1958",
        "norad-modernization",
        "pjbd",
        "awacs",
        "ibet",
        "nexus",
        "global-partnership",
        "media-freedom-coalition",
        "media-freedom-pledge",
        "operation-neon",
        "operation-reassurance",
        "operation-impact",
        "operation-inherent-resolve",
    ]
    for slug in seed:
        assert canus.query(kg, "card", thing=ID + slug).records(), slug


def test_which_operations_does_canada_run_beside_the_united_states(kg):
    rows = canus.query(kg, "operations-beside-us").records()
    assert slugs(r["operation"] for r in rows) == {
        "operation-neon",
        "operation-reassurance",
        "operation-impact",
    }
    impact = {r["via"] for r in rows if r["operation"] == ID + "operation-impact"}
    assert ID + "operation-inherent-resolve" in impact
