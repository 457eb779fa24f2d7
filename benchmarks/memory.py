"""Peak memory of ``canus query`` printing every triple, against loading alone (issue 8).

Rows are streamed to the output, so printing them all should cost about the same memory
whatever their number: the column "query − load" stays flat while the row count grows.

    .venv/bin/python benchmarks/memory.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANUS = str(Path(sys.executable).with_name("canus"))


def dataset(folder: Path, triples: int) -> Path:
    """The real ontology and one synthetic data file of ``triples`` labels."""
    import shutil

    shutil.copytree(ROOT / "ontology", folder / "ontology")
    (folder / "data").mkdir()
    with open(folder / "data" / "things.ttl", "w", encoding="utf-8") as out:
        out.write("@prefix id: <https://w3id.org/canus/id/> .\n")
        out.write("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
        out.writelines(f'id:thing-{i} rdfs:label "Thing {i}"@en .\n' for i in range(triples))
    return folder


def peak_mib(*args: str) -> float:
    """Peak resident memory of one ``canus`` run, in MiB (Linux reports KiB)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, CANUS, *args], capture_output=True, text=True, check=True
    )
    return int(out.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    options = parser.parse_args()
    print("| triples | load (stats) MiB | query SELECT * csv MiB | query − load MiB |")
    print("|---|---|---|---|")
    for size in options.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = dataset(Path(tmp), size)
            load = peak_mib("stats", "--root", str(root))
            query = peak_mib(
                "query", "--root", str(root), "--format", "csv", "--sparql",
                "SELECT * WHERE { ?s ?p ?o }",
            )  # fmt: skip
            print(f"| {size:,} | {load:.0f} | {query:.0f} | {query - load:.0f} |")


if __name__ == "__main__":
    main()
