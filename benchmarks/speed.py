"""Measure canus: command wall-clock on the real data, and how load/query/export/validate scale.

    python benchmarks/speed.py                   # real data + synthetic 10k and 100k triples
    python benchmarks/speed.py --sizes 10000 100000 1000000 --no-validate-above 100000

Figures go to stdout as a Markdown table (copied into the README); nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANUS = str(Path(sys.executable).with_name("canus"))

COMMANDS = [
    ["--help"],
    ["validate"],
    ["query", "agencies-in-program", "--param", "program=id:ibet"],
    ["query", "agreements-timeline"],
    ["stats"],
    ["export", "--format", "turtle", "--output", "{tmp}/canus.ttl"],
    ["export", "--format", "jsonld", "--output", "{tmp}/canus.jsonld"],
]


def wall(args: list[str], runs: int, cwd: Path) -> float:
    """Median wall-clock seconds of ``canus ARGS`` over ``runs`` runs (start-up included)."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        argv = [CANUS, *(a.format(tmp=tmp) for a in args)]
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic(root: Path, triples: int) -> None:
    """A dataset of our shape: agencies with bilingual labels, sources, programs, memberships."""
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "data").mkdir()
    head = (
        "@prefix canus: <https://w3id.org/canus/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix id: <https://w3id.org/canus/id/> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n"
        'id:themes a skos:ConceptScheme ; rdfs:label "Themes"@en , "Thèmes"@fr .\n'
        "id:theme-example a skos:Concept ; skos:inScheme id:themes ;\n"
        '    rdfs:label "Example theme"@en , "Thème exemple"@fr .\n\n'
    )
    blocks = []
    per_unit = 25  # triples written per loop below
    units = max(1, triples // per_unit)
    for i in range(units):
        blocks.append(
            f'id:source-{i} a canus:SourceDocument ; dcterms:title "Source {i}"@en ;\n'
            f'    canus:url "https://example.org/{i}"^^xsd:anyURI ; dcterms:publisher "Publisher {i % 50}" .\n'
            f'id:country-{i % 200} a canus:Country ; rdfs:label "Country {i % 200}"@en , "Pays {i % 200}"@fr ;\n'
            f'    dcterms:description "A country."@en , "Un pays."@fr ; dcterms:source id:source-{i % 200} .\n'
            f'id:agency-{i} a canus:Agency ; rdfs:label "Agency {i}"@en , "Organisme {i}"@fr ;\n'
            f'    dcterms:description "An agency."@en , "Un organisme."@fr ; canus:country id:country-{i % 200} ;\n'
            f"    dcterms:source id:source-{i} .\n"
            f'id:program-{i} a canus:Program ; rdfs:label "Program {i}"@en , "Programme {i}"@fr ;\n'
            f'    dcterms:description "A program."@en , "Un programme."@fr ; canus:leadAgency id:agency-{i} ;\n'
            f'    canus:participant id:agency-{(i + 1) % units} ; canus:startDate "{1950 + i % 70}"^^xsd:gYear ;\n'
            f"    canus:theme id:theme-example ; dcterms:source id:source-{i} .\n"
        )
    (root / "data" / "synthetic.ttl").write_text(head + "".join(blocks), encoding="utf-8")


def library_timings(root: Path, validate: bool) -> dict[str, float]:
    """In-process seconds for load, three queries, Turtle and JSON-LD export, validate."""
    import canus

    out: dict[str, float] = {}
    start = time.perf_counter()
    kg = canus.load(root)
    out["triples"] = len(kg)
    out["load"] = time.perf_counter() - start
    queries = {
        "label lookup": 'SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "Agency 7"@en }',
        "2-hop group by": (
            "SELECT ?c (COUNT(?p) AS ?n) WHERE { ?p <https://w3id.org/canus/ontology#leadAgency> ?a . "
            "?a <https://w3id.org/canus/ontology#country> ?c } GROUP BY ?c"
        ),
        "date range": (
            "SELECT ?p WHERE { ?p <https://w3id.org/canus/ontology#startDate> ?d "
            'FILTER(STR(?d) >= "1990" && STR(?d) < "2000") }'
        ),
    }
    for name, text in queries.items():
        start = time.perf_counter()
        len(canus.run_sparql(kg, text))
        out[name] = time.perf_counter() - start
    for fmt in ("turtle", "jsonld"):
        start = time.perf_counter()
        canus.export(kg, fmt)
        out[f"export {fmt}"] = time.perf_counter() - start
    if validate:
        start = time.perf_counter()
        canus.validate(kg)
        out["validate"] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--no-validate-above", type=int, default=100_000)
    args = parser.parse_args()

    print("## Commands on the real data (median wall-clock, start-up included)\n")
    print("| command | seconds |\n|---|---|")
    for command in COMMANDS:
        label = "canus " + " ".join("FILE" if "{tmp}" in a else a for a in command)
        print(f"| `{label}` | {wall(command, args.runs, ROOT):.2f} |")

    if args.sizes:
        print("\n## Scale (synthetic data of the same shape, seconds, in-process)\n")
        rows = []
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp) / "dataset"
                root.mkdir()
                synthetic(root, size)
                rows.append(library_timings(root, validate=size <= args.no_validate_above))
        keys = [k for k in rows[0] if k != "triples"]
        print("| triples | " + " | ".join(keys) + " |")
        print("|---" * (len(keys) + 1) + "|")
        for row in rows:
            cells = [f"{row[k]:.3f}" if k in row else "–" for k in keys]
            print(f"| {int(row['triples']):,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
