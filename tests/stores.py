"""Real triplestores for the remote tests: Oxigraph's server and Virtuoso on 127.0.0.1.

Each starts on a free port in a temporary directory, is polled until it answers, and is
stopped by its own process id afterwards. Without the server a test is skipped on a developer
machine; in CI (``CI=true``) it fails, so a missing server is never silently untested.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
INIFILE = shutil.which("inifile") or "/usr/bin/inifile"
VIRTUOSO_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")
#: Virtuoso's administrator, as the Debian package creates it (digest auth on /sparql-auth).
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str) -> None:
    """Skip on a developer machine; fail in CI (``CI=true``)."""
    message = f"{what} is not installed: run `make test` as root once (it installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Poll ``url`` until it answers 200; fail with the server's log if it dies or is slow."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                answer.read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"{url} did not come up:\n{text}") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if the server is still there after 15 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Oxigraph:
    """A running ``oxigraph serve``: its query, update and Graph Store endpoints."""

    base: str
    process: subprocess.Popen
    location: Path
    port: int

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        return f"{self.base}/store"


@contextlib.contextmanager
def oxigraph(location: Path, port: int | None = None) -> Iterator[Oxigraph]:
    """``oxigraph serve`` on ``location`` (kept on disk, so it can be restarted on it)."""
    if not Path(OXIGRAPH).exists():
        missing("the oxigraph server (PyPI oxigraph)")
    port = port or free_port()
    log = location.with_name(location.name + ".log")
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", process, log)
        yield Oxigraph(base, process, location, port)
    finally:
        stop(process)


@dataclass
class Virtuoso:
    """A running Virtuoso: anonymous query at /sparql, digest-authenticated update and Graph
    Store writes at /sparql-auth and /sparql-graph-crud-auth (user dba, password dba)."""

    base: str
    process: subprocess.Popen
    sql_port: int

    @property
    def query(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def sql(self, statement: str) -> str:
        """Run one SQL statement with isql-vt as dba; its output."""
        proc = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", VIRTUOSO_USER, VIRTUOSO_PASSWORD,
             f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"isql-vt {statement}: {proc.stdout}{proc.stderr}")
        return proc.stdout


@contextlib.contextmanager
def virtuoso(folder: Path) -> Iterator[Virtuoso]:
    """A private Virtuoso instance in ``folder``: the Debian ini with its database, both ports
    and DirsAllowed pointed there."""
    if not (Path(VIRTUOSO).exists() and VIRTUOSO_INI.exists() and Path(INIFILE).exists()):
        missing("Virtuoso (Debian virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    text = VIRTUOSO_INI.read_text().replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    ini.write_text(text)
    sql_port, http_port = free_port(), free_port()
    settings = [
        ("Parameters", "ServerPort", f"127.0.0.1:{sql_port}"),
        ("HTTPServer", "ServerPort", f"127.0.0.1:{http_port}"),
        ("Parameters", "DirsAllowed", f"., {folder}, /usr/share/virtuoso-opensource-7/vad"),
        ("URIQA", "DefaultHost", f"127.0.0.1:{http_port}"),
    ]
    for section, key, value in settings:
        subprocess.run(
            [INIFILE, "+inifile", str(ini), "+section", section, "+key", key, "+value", value],
            check=True,
        )
    log = folder / "virtuoso.log"
    with open(folder / "virtuoso.out", "wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, log)
        yield Virtuoso(base, process, sql_port)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[Oxigraph]:
    """One Oxigraph server for the session (empty at first)."""
    with oxigraph(tmp_path_factory.mktemp("oxigraph") / "db") as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[Virtuoso]:
    """One Virtuoso for the session (its system graphs only at first)."""
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
