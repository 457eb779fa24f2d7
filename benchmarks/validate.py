"""Validation beside its peers: canus validate, the pySHACL command line and pyrudof.

    python benchmarks/validate.py                        # the real data, synthetic 10k and 100k
    python benchmarks/validate.py --sizes 10000 100000 1000000

Each job is a whole process (start-up and parsing included), so the figures are what a user
waits for. Every engine gets the same files: the ontology and the data (and, for the synthetic
sizes, data valid under the shipped shapes, plus one broken thing so that every engine has
exactly one result to find). Figures go to stdout as Markdown; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from speed import synthetic

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BROKEN = """
@prefix canus: <https://w3id.org/canus/ontology#> .
@prefix id: <https://w3id.org/canus/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
id:agency-without-source a canus:Agency ;
    rdfs:label "Agency without a source"@en , "Organisme sans source"@fr ;
    dcterms:description "Broken on purpose."@en , "Cassé exprès."@fr ;
    canus:country id:country-0 .
"""
RUDOF = """
import glob, sys, pyrudof
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
for path in ["ontology/canus.ttl", *sorted(glob.glob("data/*.ttl"))]:
    rudof.read_data(path, merge=True)
rudof.read_shacl("ontology/shapes.ttl")
report = rudof.validate_shacl()
print("results:", len(report))
"""


def timed(argv: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of this one child process, and what it printed."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, _, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = 0  # reaped above
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace")


def results_of(engine: str, output: str) -> str:
    if engine == "canus":
        match = re.search(r"^(\d+) violations?|^valid: .* (0) violations", output, re.M)
        return (match.group(1) or match.group(2)) if match else "?"
    if engine == "pyshacl":
        return str(output.count("Constraint Violation in"))
    match = re.search(r"results: (\d+)", output)
    return match.group(1) if match else "?"


def commands(root: Path) -> dict[str, list[str]]:
    data = sorted(str(p.relative_to(root)) for p in (root / "data").glob("*.ttl"))
    return {
        "canus": [str(BIN / "canus"), "validate", "--root", str(root)],
        "pyshacl": [
            *(str(BIN / "pyshacl"), "-s", "ontology/shapes.ttl", "-a", "-w"),
            *("ontology/canus.ttl", *data),
        ],
        "pyrudof": [sys.executable, "-c", RUDOF],
    }


def measure(root: Path, runs: int, engines: list[str]) -> dict[str, tuple[float, float, str]]:
    out = {}
    for engine, argv in commands(root).items():
        if engine not in engines:
            continue
        trials = [timed(argv, root) for _ in range(runs)]
        seconds = statistics.median(t[0] for t in trials)
        out[engine] = (seconds, max(t[1] for t in trials), results_of(engine, trials[0][2]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per job (median)")
    parser.add_argument(
        "--pyshacl-up-to", type=int, default=10_000, help="largest size given to the pySHACL CLI"
    )
    args = parser.parse_args()
    from scale import compile_canus

    compile_canus()
    print("| data | triples | canus validate | pySHACL CLI | pyrudof | canus / pySHACL | results |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        real = Path(tmp) / "real"
        for name in ("ontology", "data", "queries"):
            shutil.copytree(ROOT / name, real / name)
        jobs = [("real data", real, ["canus", "pyshacl", "pyrudof"])]
        for size in args.sizes:
            root = Path(tmp) / f"synthetic-{size}"
            synthetic(root, size)
            (root / "data" / "zz-broken.ttl").write_text(BROKEN, encoding="utf-8")
            engines = ["canus", "pyrudof"] + (["pyshacl"] if size <= args.pyshacl_up_to else [])
            jobs.append((f"synthetic {size:,}", root, engines))
        import canus

        for label, root, engines in jobs:
            triples = len(canus.load(root))
            runs = 1 if "pyshacl" in engines else args.runs  # the pySHACL CLI is slow
            found = measure(root, runs, engines)

            def cell(engine: str, found: dict = found) -> str:
                if engine not in found:
                    return "–"
                seconds, peak, _ = found[engine]
                return f"{seconds:.2f} s, {peak:.0f} MB"

            ratio = f"{found['canus'][0] / found['pyshacl'][0]:.2f}×" if "pyshacl" in found else "–"
            counts = " / ".join(found[e][2] for e in ("canus", "pyshacl", "pyrudof") if e in found)
            print(
                f"| {label} | {triples:,} | {cell('canus')} | {cell('pyshacl')} | "
                f"{cell('pyrudof')} | {ratio} | {counts} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
