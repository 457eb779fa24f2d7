"""Bad input: one clear line on stderr naming the file and line, a non-zero exit, nothing lost."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import BAD, ROOT, invoke

GOOD = (BAD / "_base.ttl").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def one_error_line(proc) -> str:
    assert proc.exit_code != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("canus: error: ")
    return lines[0].removeprefix("canus: error: ")


def test_turtle_syntax_error_names_file_and_line(mini_root):
    broken = GOOD.replace(
        '    canus:iso3166Alpha2 "CA" ;', '    canus:iso3166Alpha2 "CA" ;\n    canus:x "y" "z" ;'
    )
    root = mini_root(("countries.ttl", broken))
    proc = invoke("validate", "--root", str(root))
    assert proc.exit_code == 2
    message = one_error_line(proc)
    assert message.startswith(f"data/countries.ttl:{line_of(broken, 'canus:x')}:"), message
    assert "syntax error" in message


def test_undeclared_prefix(mini_root):
    text = GOOD + "\nfoo:cbsa a canus:Agency .\n"
    root = mini_root(("agencies.ttl", text))
    proc = invoke("validate", "--root", str(root))
    assert proc.exit_code == 2
    message = one_error_line(proc)
    assert message.startswith(f"data/agencies.ttl:{line_of(text, 'foo:cbsa')}:1:")
    assert "foo:" in message and "not been declared" in message


def test_file_not_utf8(mini_root):
    raw = GOOD.replace("États-Unis", "\u00c9tats-Unis").encode("latin-1")
    root = mini_root(("countries.ttl", raw))
    proc = invoke("stats", "--root", str(root))
    assert proc.exit_code == 2
    message = one_error_line(proc)
    line = line_of(GOOD, "Amérique")
    column = GOOD.splitlines()[line - 1].index("é") + 1
    assert message.startswith(f"data/countries.ttl:{line}:{column}: not UTF-8: byte 0xe9")
    assert "not UTF-8" in message


def test_empty_data_folder(mini_root):
    root = mini_root()
    proc = invoke("validate", "--root", str(root))
    assert proc.exit_code == 2
    assert one_error_line(proc) == "data/: no Turtle (.ttl) files to load"


def test_missing_data_folder(mini_root):
    root = mini_root()
    (root / "data").rmdir()
    proc = invoke("query", "agencies", "--root", str(root))
    assert proc.exit_code == 2
    assert one_error_line(proc).startswith("data/: missing")


def test_missing_root_folder(tmp_path):
    proc = invoke("stats", "--root", str(tmp_path / "nowhere"))
    assert proc.exit_code == 2
    assert "no such dataset folder" in one_error_line(proc)


def test_unknown_query_name():
    proc = invoke("query", "agencies-in-progam")
    assert proc.exit_code == 2
    assert one_error_line(proc) == (
        "unknown query 'agencies-in-progam'; "
        "did you mean agencies-in-program, agencies-of, agencies?"
    )


def test_parameter_of_wrong_type():
    proc = invoke("query", "renewed-agreements", "--param", "min=five")
    assert one_error_line(proc) == "parameter 'min': expected an integer, got 'five'"
    proc = invoke("query", "agencies-in-program", "--param", "program=IBET program")
    assert "expected an IRI" in one_error_line(proc)
    proc = invoke("query", "events-between", "--param", "from=2021-02-30")
    assert one_error_line(proc) == "parameter 'from': expected a date YYYY-MM-DD, got '2021-02-30'"


def test_parameter_without_value():
    proc = invoke("query", "agencies-in-program", "--param", "program")
    assert proc.exit_code == 2
    assert "expected NAME=VALUE" in proc.stderr and "Traceback" not in proc.stderr


def test_query_with_syntax_error(tmp_path):
    bad = tmp_path / "broken.rq"
    bad.write_text("# title: Broken\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    proc = invoke("query", str(bad))
    message = one_error_line(proc)
    assert re.match(rf"{bad.name}:\d+:\d+: syntax error", message), message
    proc = invoke("query", "--sparql", "SELEC ?x")
    assert one_error_line(proc).startswith("--sparql:1:")


def test_query_file_missing(tmp_path):
    proc = invoke("query", str(tmp_path / "none.rq"))
    assert one_error_line(proc).endswith("none.rq: no such query file")


def test_output_path_cannot_be_written(tmp_path):
    proc = invoke("export", "--format", "nt", "--output", str(tmp_path / "no" / "such" / "dir.nt"))
    assert proc.exit_code == 2
    assert "does not exist" in one_error_line(proc)
    assert not (tmp_path / "no").exists()


def test_output_over_a_folder_is_refused(tmp_path):
    proc = invoke("export", "--format", "nt", "--output", str(tmp_path))
    assert "it is a folder" in one_error_line(proc)


def test_failed_write_leaves_previous_file_whole(tmp_path):
    """A write that fails half-way (here: the file size limit) leaves the old file as it was."""
    target = tmp_path / "out.nt"
    target.write_text("old\n", encoding="utf-8")
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from canus.cli import main\n"
        "sys.argv = ['canus', 'export', '--format', 'nt', '--output', sys.argv[1]]\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"canus: error: {target}: cannot write: File too large")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]


def test_outside_a_checkout_the_shipped_data_is_used(tmp_path):
    proc = invoke("stats", cwd=tmp_path)
    assert proc.exit_code == 0, proc.stderr
    assert proc.stdout.startswith("triples")


def test_root_may_be_given_before_the_command(tmp_path):
    proc = invoke("--root", str(ROOT), "queries", cwd=tmp_path)
    assert proc.exit_code == 0 and "agencies-in-program" in proc.stdout


def test_bad_files_are_named_in_tests():
    # each broken example is exercised by test_validate; keep the folder tidy
    stray = [p.name for p in BAD.iterdir() if p.suffix not in (".ttl", ".expected")]
    assert stray == []
