"""Issue 8, errors that were not one clear line: each is one ``canus: error:`` line naming the
input, with the documented exit code; files the loader cannot read are skipped or named."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys

import pytest

import canus

from conftest import BAD, ROOT, invoke, run_canus

GOOD = (BAD / "_base.ttl").read_text(encoding="utf-8")


def error_line(result, code: int) -> str:
    """The one stderr line of a failed run, without its ``canus: error: `` prefix."""
    assert result.exit_code == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("canus: error: ")
    return lines[0].removeprefix("canus: error: ")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("name", ["my countries.ttl", "a>b.ttl"])
def test_data_file_with_a_space_or_angle_bracket_in_its_name(mini_root, name):
    root = mini_root((name, GOOD))
    result = invoke("stats", "--root", str(root))
    assert result.exit_code == 0, result.stderr
    kg = canus.load(root)
    assert kg.locate("id:canada")[0] == f"data/{name}"


def test_symlink_loop_in_data(mini_root):
    root = mini_root(("countries.ttl", GOOD))
    (root / "data" / "loop.ttl").symlink_to("loop.ttl")
    assert error_line(invoke("stats", "--root", str(root)), 2) == "data/loop.ttl: symlink loop"


def test_broken_symlink_in_data(mini_root):
    root = mini_root(("countries.ttl", GOOD))
    (root / "data" / "gone.ttl").symlink_to("nowhere.ttl")
    message = error_line(invoke("stats", "--root", str(root)), 2)
    assert message == "data/gone.ttl: broken symlink to nowhere.ttl"


def test_fifo_in_data_is_skipped_and_named(mini_root):
    root = mini_root(("countries.ttl", GOOD))
    os.mkfifo(root / "data" / "x.ttl")
    # a real process with a time limit: the old loader blocked forever opening the FIFO
    proc = run_canus("stats", "--root", str(root))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ("canus: warning: data/x.ttl: skipped: a FIFO, not a regular file\n")
    assert canus.load(root).skipped == ["data/x.ttl: skipped: a FIFO, not a regular file"]


def test_fifo_among_the_saved_queries_is_left_out(mini_root):
    root = mini_root(("countries.ttl", GOOD))
    shutil.copytree(ROOT / "queries", root / "queries")
    os.mkfifo(root / "queries" / "stuck.rq")
    proc = run_canus("queries", "--root", str(root))  # a real process with a time limit
    assert proc.returncode == 0, proc.stderr
    assert "stuck" not in proc.stdout and "agencies-in-program" in proc.stdout
    message = error_line(invoke("query", str(root / "queries" / "stuck.rq")), 2)
    assert message.endswith("stuck.rq: not a regular file")


def test_data_file_with_a_byte_order_mark(mini_root):
    root = mini_root(("countries.ttl", b"\xef\xbb\xbf" + GOOD.encode("utf-8")))
    assert invoke("stats", "--root", str(root)).exit_code == 0


def test_five_thousand_digit_integer_parameter():
    result = invoke("query", "renewed-agreements", "--param", "min=" + "9" * 5000)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("(0 rows)\n")


def test_parameter_that_is_not_utf8():
    value = b"\xff\xfeibet".decode("utf-8", "surrogateescape")  # as the shell passes it
    result = invoke("query", "search", "--param", f"text={value}")
    assert error_line(result, 2) == "parameter 'text': not valid UTF-8 (byte 0xff at position 1)"


def test_endpoint_that_is_not_http():
    result = invoke("query", "agencies", "--endpoint", "file:///etc/passwd")
    assert error_line(result, 2) == (
        "endpoint 'file:///etc/passwd': give an http:// or https:// URL of a SPARQL endpoint"
    )


def test_service_is_off_unless_allowed():
    port = closed_port()
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    message = error_line(invoke("query", "--sparql", text), 2)
    assert message.startswith("--sparql: SERVICE calls to other endpoints are off; pass ")
    result = invoke("query", "--sparql", text, "--allow-service")
    message = error_line(result, 3)
    assert message == "--sparql: SERVICE call failed: Connection refused (os error 111)"


def test_update_is_refused():
    result = invoke("query", "--sparql", "INSERT DATA { id:a id:b id:c }")
    assert error_line(result, 2) == "--sparql: canus query is read-only; updates are not run"
    result = invoke("query", "--sparql", "DELETE WHERE { ?s ?p ?o }")
    assert error_line(result, 2) == "--sparql: canus query is read-only; updates are not run"


def test_byte_order_mark_in_query_text_and_file(tmp_path):
    text = "\ufeffSELECT (COUNT(*) AS ?n) WHERE { ?s a canus:Agency }"
    result = invoke("query", "--sparql", text, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    saved = tmp_path / "count.rq"
    saved.write_bytes(text.encode("utf-8"))
    assert invoke("query", str(saved), "--format", "csv").stdout == result.stdout


def test_unterminated_string():
    result = invoke("query", "--sparql", 'SELECT ?x WHERE { ?x rdfs:label "NORAD }')
    assert error_line(result, 2) == "--sparql:1:33: unterminated string"


def test_unknown_prefix_is_one_short_line():
    result = invoke("query", "--sparql", "SELECT ?x WHERE {\n  ?x foo:bar ?y }")
    message = error_line(result, 2)
    assert message.startswith("--sparql:2:13: unknown prefix 'foo:'; declare it with PREFIX foo:")
    assert "..=" not in message and len(message) < 160


def test_click_usage_errors_have_the_same_form():
    assert error_line(invoke("query", "--frmat", "csv"), 2).startswith(
        "No such option '--frmat'. (Did you mean one of: '--format'"
    )
    assert error_line(invoke("nosuch"), 2) == "No such command 'nosuch'. (see 'canus --help')"
    assert error_line(invoke("export", "--format", "yaml"), 2).startswith(
        "Invalid value for '--format': 'yaml' is not one of"
    )


def test_bare_query_says_what_to_give():
    assert error_line(invoke("query"), 2) == (
        "give a query NAME (or FILE.rq) or --sparql TEXT (see 'canus query --help')"
    )
    both = invoke("query", "agencies", "--sparql", "ASK {}")
    assert "not both" in error_line(both, 2)


def test_exit_codes_are_documented_in_help_and_readme():
    text = invoke("--help").stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("0", "1", "2", "3", "70", "130"):
        assert re.search(rf"^ +{code} +\w", text, re.M), code
        assert f"`{code}`" in readme, code


def test_internal_error_is_one_line_and_canus_debug_shows_the_traceback(tmp_path):
    """A bug, made real by an unreadable stats module: one line, exit 70; with CANUS_DEBUG the
    traceback."""
    shadow = tmp_path / "canus_shadow"
    shadow.mkdir()
    (shadow / "sitecustomize.py").write_text(
        "import canus._stats as s\n"
        "def broken(kg):\n"
        "    raise ZeroDivisionError('a bug')\n"
        "s.stats = broken\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    exe = [sys.executable, "-m", "canus.cli", "stats"]
    proc = subprocess.run(exe, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 70
    assert proc.stderr == (
        "canus: error: internal error: ZeroDivisionError: a bug "
        "(please report this; CANUS_DEBUG=1 shows the traceback)\n"
    )
    env["CANUS_DEBUG"] = "1"
    proc = subprocess.run(exe, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 70
    assert proc.stderr.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: a bug" in proc.stderr
