"""``canus diff OLD NEW``: things added, removed and changed, as text and as Markdown."""

from __future__ import annotations

from pathlib import Path

import canus
from release import built

from conftest import ROOT, invoke

HEAD = """@prefix canus: <https://w3id.org/canus/ontology#> .
@prefix id: <https://w3id.org/canus/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
OLD = (
    HEAD
    + """
id:cbsa a canus:Agency ; rdfs:label "Canada Border Services Agency"@en ; canus:country id:canada .
id:gone a canus:Program ; rdfs:label "Gone"@en .
"""
)
NEW = (
    HEAD
    + """
id:cbsa a canus:Agency ; rdfs:label "Canada Border Services Agency"@en ;
    rdfs:label "Agence des services frontaliers du Canada"@fr ; canus:country id:united-states .
id:fresh a canus:Command ; rdfs:label "Fresh"@en .
"""
)


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_diff_as_text(tmp_path):
    old, new = _pair(tmp_path)
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "added    id:fresh “Fresh” (canus:Command)",
        "removed  id:gone “Gone” (canus:Program)",
        "changed  id:cbsa “Canada Border Services Agency” (canus:Agency)",
        "  - canus:country id:canada",
        "  + canus:country id:united-states",
        '  + rdfs:label "Agence des services frontaliers du Canada"@fr',
    ]
    assert result.stdout.splitlines()[0].endswith(": 1 added, 1 removed, 1 changed")


def test_diff_as_markdown_for_the_changelog(tmp_path):
    old, new = _pair(tmp_path)
    markdown = canus.diff(old, new).render("md")
    assert markdown == (
        "Changes to the graph: 1 added, 1 removed, 1 changed.\n\n"
        "#### Added (1)\n\n- `id:fresh` Fresh (canus:Command)\n\n"
        "#### Removed (1)\n\n- `id:gone` Gone (canus:Program)\n\n"
        "#### Changed (1)\n\n"
        "- `id:cbsa` Canada Border Services Agency (canus:Agency)\n"
        "  - removed `canus:country` `id:canada`\n"
        "  - added `canus:country` `id:united-states`\n"
        '  - added `rdfs:label` `"Agence des services frontaliers du Canada"@fr`\n'
    )


def test_a_release_and_its_dataset_do_not_differ():
    dist, kg = built()
    result = invoke("diff", str(dist), str(kg.root))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(": 0 added, 0 removed, 0 changed\n")


def test_diff_names_an_unreadable_side(tmp_path):
    result = invoke("diff", str(tmp_path / "nope.ttl"), str(ROOT))
    assert result.exit_code == 2
    assert "nope.ttl: no such file or folder" in result.stderr
