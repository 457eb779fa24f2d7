"""Issue 8, hanging: Ctrl-C (a real SIGINT to a real process) stops a query, a load and an
export within a few seconds with exit 130 and leaves no file behind; --timeout stops a query;
long work shows progress on a terminal (a real pseudo-terminal here) and nothing when piped.

The only timed bounds here are the generous "within a few seconds" the issue asks for.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT

CANUS = str(Path(sys.executable).with_name("canus"))
#: Runs for hours on the canus graph: every triple against every pair of triples.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
STOPS_WITHIN = 10  # seconds: generous; the work would otherwise run for minutes or hours


def start(*args: str, cwd: Path = ROOT) -> subprocess.Popen:
    return subprocess.Popen(
        [CANUS, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def interrupt(proc: subprocess.Popen) -> tuple[str, str]:
    """Press Ctrl-C once; the process must end by itself, soon."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=STOPS_WITHIN)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"still running {STOPS_WITHIN} s after Ctrl-C")


def wait_for(predicate, what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"never saw {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def big_root(tmp_path_factory) -> Path:
    """A dataset with a 600,000-triple file: loading and exporting it take seconds."""
    root = tmp_path_factory.mktemp("big")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "data").mkdir()
    with open(root / "data" / "big.ttl", "w", encoding="utf-8") as out:
        out.write("@prefix id: <https://w3id.org/canus/id/> .\n")
        out.write("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
        out.writelines(f'id:thing-{i} rdfs:label "Thing {i}"@en .\n' for i in range(600_000))
    return root


def test_ctrl_c_stops_a_long_query():
    proc = start("query", "--sparql", SLOW)
    time.sleep(2)  # loaded, and deep inside Oxigraph
    assert proc.poll() is None
    out, err = interrupt(proc)
    assert proc.returncode == 130
    assert err == "canus: error: interrupted\n"
    assert out == ""


def resident_mb(pid: int) -> float:
    """The process's resident memory (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def test_ctrl_c_stops_a_long_load(big_root):
    proc = start("stats", "--root", str(big_root))
    # the store grows to ~400 MB as the file loads: past 150 MB the load is well under way,
    # however fast or slow the machine (a fixed sleep could land after the load)
    wait_for(lambda: resident_mb(proc.pid) > 150 or proc.poll() is not None, "the load")
    assert proc.poll() is None
    _, err = interrupt(proc)
    assert proc.returncode == 130
    assert err == "canus: error: interrupted\n"


def test_ctrl_c_stops_an_export_keeps_the_previous_file_and_leaves_nothing(big_root, tmp_path):
    target = tmp_path / "canus.jsonld"
    target.write_text("previous\n", encoding="utf-8")
    proc = start("export", "--root", str(big_root), "--format", "jsonld", "-o", str(target))
    # the export has begun once its temporary file is there
    wait_for(lambda: len(list(tmp_path.iterdir())) > 1 or proc.poll() is not None, "temp file")
    assert proc.poll() is None, proc.communicate()
    _, err = interrupt(proc)
    assert proc.returncode == 130
    assert err == "canus: error: interrupted\n"  # and no progress bar: stderr is a pipe
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["canus.jsonld"]


def test_timeout_stops_a_long_query():
    proc = subprocess.run(
        [CANUS, "query", "--sparql", SLOW, "--timeout", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=STOPS_WITHIN + 1,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "canus: error: no result within 1 s; stopped (use --timeout to wait longer)\n"
    )


def test_library_timeout_raises_a_query_error(kg):
    import canus

    # about a second: long beside the timeout, short enough that the abandoned thread soon ends
    pairs = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a canus:SourceDocument }"
    with pytest.raises(canus.QueryError, match=r"no result within 0\.1 s"):
        canus.run_sparql(kg, pairs, timeout=0.1)


def run_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run canus with stderr on a pseudo-terminal of 100 columns; what the terminal showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "CANUS_PROGRESS_DELAY": "0"}  # a bar however fast the machine
    proc = subprocess.Popen(
        [CANUS, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=slave, env=env
    )
    os.close(slave)
    shown = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        shown.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(shown).decode("utf-8", "replace")


def test_progress_on_a_terminal(big_root, tmp_path):
    """A bar for the load and a byte count for the export; piped, stderr stays clean (see the
    export test above: its only line is the error)."""
    args = ("export", "--root", str(big_root), "--format", "nt", "-o", str(tmp_path / "a.nt"))
    code, shown = run_on_a_terminal(*args)
    assert code == 0
    assert re.search(r"data/big\.ttl: +\d+%\|", shown), shown[-500:]
    assert re.search(r"export: [\d.]+MB", shown), shown[-500:]


def test_ctrl_c_while_the_worker_starts_still_removes_its_file(tmp_path):
    """Ctrl-C can land while the main thread is still starting the worker, which may make its
    temporary file just after (a CI run once left one behind): no file outlives the run."""
    from canus import _worker

    release = threading.Event()
    for _ in range(50):  # without the fix, most of these left their file
        tried = threading.Event()

        def work(tried: threading.Event = tried) -> None:
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            try:
                _worker.create(lambda: Path(tempfile.mkstemp(dir=tmp_path)[1]))
            finally:
                tried.set()
            release.wait()

        try:
            with pytest.raises(KeyboardInterrupt):
                _worker.run(work)
            assert tried.wait(STOPS_WITHIN)
            assert list(tmp_path.iterdir()) == []
        finally:
            release.set()


def test_a_worker_given_up_counts_as_running_until_it_ends():
    """After Ctrl-C the worker may still be inside Oxigraph: the command then exits at once
    rather than wait. Python 3.11's Thread.is_alive() says False after an interrupted join, so
    the worker's own record is what counts."""
    from canus import _worker

    release = threading.Event()

    def work() -> None:
        time.sleep(0.2)  # the main thread is waiting in join() by now
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        release.wait()

    with pytest.raises(KeyboardInterrupt):
        _worker.run(work)
    assert _worker.abandoned()
    release.set()
    wait_for(lambda: not _worker.abandoned(), "the worker's end", limit=STOPS_WITHIN)


def test_runs_given_up_are_forgotten_once_they_end():
    """A long-lived process that times out many queries keeps no record (nor result) of those
    that have ended."""
    from canus import _worker

    for _ in range(3):
        with pytest.raises(TimeoutError):
            _worker.run(lambda: time.sleep(0.2), timeout=0.01)
    wait_for(lambda: not _worker.abandoned(), "the runs' end", limit=STOPS_WITHIN)
    with pytest.raises(TimeoutError):
        _worker.run(lambda: time.sleep(0.2), timeout=0.01)
    assert len(_worker._given_up) == 1
