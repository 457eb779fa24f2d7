"""canus push into real stores (Oxigraph's server, Virtuoso), and the ways it fails: a store
stopped in the middle, wrong credentials, no permission, a URL that is no SPARQL store."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import http.server
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import canus
from canus._fetch import fetch_graph
from canus._http import Retry
from canus._push import graph_triples, push, temporary_graph
from stores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, free_port, oxigraph

from conftest import BAD, invoke

GRAPH = "https://w3id.org/canus/graph/push-test"


@pytest.fixture
def two_datasets(mini_root, tmp_path) -> tuple[Path, Path]:
    """Two small datasets that differ: the base example, and the base with one more agency."""
    first = mini_root(BAD / "_base.ttl")
    second = tmp_path / "second"
    second.mkdir()
    shutil.copytree(first, second, dirs_exist_ok=True)
    shutil.copy(BAD / "agency-no-source.ttl", second / "data")
    return first, second


@pytest.fixture
def dba(monkeypatch) -> None:
    """Virtuoso's administrator login in the environment, as a user would set it."""
    monkeypatch.setenv("CANUS_USER", VIRTUOSO_USER)
    monkeypatch.setenv("CANUS_PASSWORD", VIRTUOSO_PASSWORD)


def held(server, graph: str | None) -> set[str]:
    """The triples a store's graph holds, as N-Triples lines (read back with canus's pager)."""
    endpoint = canus.Endpoint(server.query)
    return {str(t) for t in fetch_graph(endpoint, graph, page=300)}


def triples_of(root: Path) -> set[str]:
    return {str(t) for t in graph_triples(canus.load(root))}


def has_graph(server, graph: str) -> bool:
    result = canus.run_sparql(server.query, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return bool(result.boolean)


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("way", ["--store", "--update-endpoint"])
def test_push_replaces_a_named_graph(store, way, request, two_datasets, dba):
    server = request.getfixturevalue(f"{store}_server")
    url = server.store if way == "--store" else server.update
    first, second = two_datasets
    for root in (second, first):  # the second push must remove what only the first had
        result = invoke("push", way, url, "--graph", GRAPH, "--root", str(root))
        assert result.exit_code == 0, result.stderr
    assert held(server, GRAPH) == triples_of(first)
    assert not has_graph(server, temporary_graph(GRAPH))
    count = len(triples_of(first))
    assert result.stdout == ""
    # no bar when stderr is not a terminal: the summary line alone
    assert result.stderr.startswith(f"pushed {count:,} triples to <{GRAPH}> at {url} in ")
    assert result.stderr.count("\n") == 1
    assert VIRTUOSO_PASSWORD not in result.stderr.replace(f"{VIRTUOSO_USER}", "")


@pytest.mark.parametrize("way", ["--store", "--update-endpoint"])
def test_push_into_the_default_graph(way, tmp_path, two_datasets):
    """Into a server of its own: the session's default graph is the one test_remote reads."""
    with oxigraph(tmp_path / "db") as server:
        url = server.store if way == "--store" else server.update
        first, second = two_datasets
        for root in (first, second):
            result = invoke("push", way, url, "--root", str(root))
            assert result.exit_code == 0, result.stderr
        assert "to the default graph" in result.stderr
        assert held(server, None) == triples_of(second)


def test_update_push_keeps_blank_nodes_together(oxigraph_server, mini_root):
    """Triples sharing a blank node go in one INSERT DATA, so the node stays one node."""
    root = mini_root(
        BAD / "_base.ttl",
        ("lists.ttl", '@prefix ex: <https://example.org/> .\nex:a ex:p [ ex:q [ ex:r "x" ] ] .\n'),
    )
    push(canus.load(root), update_endpoint=oxigraph_server.update, graph=GRAPH, batch_size=1)
    path = "<https://example.org/p>/<https://example.org/q>/<https://example.org/r>"
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?a {path} ?x }} }}"
    assert canus.run_sparql(oxigraph_server.query, text).rows[0]["n"].value == "1"


def test_store_stopped_in_the_middle_leaves_the_target_as_it_was(tmp_path, two_datasets):
    """The server stops after the first batch: a clear error, and after a restart the target
    graph is the one pushed before; the next push removes the temporary graph."""
    first, second = two_datasets
    location = tmp_path / "db"
    with oxigraph(location) as server:
        push(canus.load(first), store=server.store, graph=GRAPH)

        def stop_after_first_batch(done: int, total: int, unit: str) -> None:
            if server.process.poll() is None:
                server.process.terminate()
                server.process.wait(timeout=15)

        with pytest.raises(canus.RemoteError) as failure:
            push(
                canus.load(second),
                update_endpoint=server.update,
                graph=GRAPH,
                batch_size=100,
                retry=Retry(attempts=2, backoff=0.1),
                progress=stop_after_first_batch,
            )
        port = server.port
    message = str(failure.value)
    assert message.startswith(f"{server.update}: cannot connect: ")
    assert "the target graph is unchanged" in message
    assert "the next push removes it" in message
    with oxigraph(location, port) as restarted:
        assert held(restarted, GRAPH) == triples_of(first)
        assert has_graph(restarted, temporary_graph(GRAPH))  # left while the store was down
        push(canus.load(second), update_endpoint=restarted.update, graph=GRAPH)
        assert held(restarted, GRAPH) == triples_of(second)
        assert not has_graph(restarted, temporary_graph(GRAPH))


def test_a_stopped_store_is_one_line_and_exit_3(tmp_path):
    with oxigraph(tmp_path / "db") as server:
        url = server.update
    result = invoke("push", "--update-endpoint", url, "--graph", GRAPH)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"canus: error: {url}: cannot connect: ")
    assert result.stderr.count("\n") == 1


def test_wrong_password_on_virtuoso_is_refused_and_never_shown(virtuoso_server, monkeypatch):
    monkeypatch.setenv("CANUS_USER", VIRTUOSO_USER)
    monkeypatch.setenv("CANUS_PASSWORD", "not-the-Pa55word")
    for url, args in (
        (virtuoso_server.store, ("push", "--store", virtuoso_server.store, "--graph", GRAPH)),
        (virtuoso_server.update, ("push", "--update-endpoint", virtuoso_server.update)),
        (virtuoso_server.update, ("query", "agencies", "--endpoint", virtuoso_server.update)),
    ):
        result = invoke(*args)
        assert result.exit_code == 3, args
        assert result.stderr == (
            f"canus: error: {url}: HTTP 401: the store refused the user and password"
            " (CANUS_USER or ~/.netrc)\n"
        )
        assert "not-the-Pa55word" not in result.stdout + result.stderr


def test_no_credentials_says_where_to_put_them(virtuoso_server, monkeypatch, tmp_path):
    monkeypatch.delenv("CANUS_USER", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "missing-netrc"))
    result = invoke("push", "--store", virtuoso_server.store, "--graph", GRAPH)
    assert result.exit_code == 3
    assert "asks for a user and password: set CANUS_USER and CANUS_PASSWORD" in result.stderr


def test_credentials_from_netrc_with_digest_auth(virtuoso_server, monkeypatch, tmp_path, kg):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {VIRTUOSO_USER} password {VIRTUOSO_PASSWORD}\n")
    netrc.chmod(0o600)
    monkeypatch.delenv("CANUS_USER", raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    graph = GRAPH + "/netrc"
    result = invoke("push", "--store", virtuoso_server.store, "--graph", graph)
    assert result.exit_code == 0, result.stderr
    answer = canus.query(canus.Endpoint(virtuoso_server.update, graphs=(graph,)), "agencies")
    assert (
        answer.rows
        == canus.query(canus.Endpoint(virtuoso_server.query, graphs=(graph,)), "agencies").rows
    )
    assert len(answer.rows) == len(canus.query(kg, "agencies").rows)


def test_anonymous_update_without_permission_is_refused(virtuoso_server, monkeypatch):
    """Virtuoso's anonymous endpoint may query but not update (until GRANT SPARQL_UPDATE)."""
    monkeypatch.delenv("CANUS_USER", raising=False)
    url = virtuoso_server.query
    result = invoke("push", "--update-endpoint", url, "--graph", GRAPH)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"canus: error: {url}: HTTP 500: ")
    assert "SECURITY" in result.stderr and result.stderr.count("\n") == 1


class _WebPage(http.server.BaseHTTPRequestHandler):
    """A web site that answers every request with a page: no SPARQL endpoint."""

    def _page(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"<!doctype html><title>Welcome</title><p>Hello</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def do_PUT(self) -> None:
        """Like most web frameworks: the request is read, the method refused."""
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_page() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_a_web_page_is_not_a_sparql_endpoint(web_page):
    result = invoke("query", "agencies", "--endpoint", web_page)
    assert result.exit_code == 3
    assert result.stderr == (
        f"canus: error: {web_page}: the answer is not SPARQL results (it is text/html):"
        " is this the URL of a SPARQL query endpoint?\n"
    )
    result = invoke("validate", "--endpoint", web_page)
    assert result.exit_code == 3
    assert "the answer is not SPARQL results" in result.stderr
    result = invoke("push", "--store", web_page)
    assert result.exit_code == 3
    assert result.stderr == (
        f"canus: error: {web_page}: HTTP 405: not a Graph Store (SPARQL 1.1 Graph Store"
        " HTTP Protocol): it does not accept PUT\n"
    )


def test_a_missing_path_on_a_store_says_which_url_was_expected(oxigraph_server):
    url = oxigraph_server.base + "/no-such-endpoint"
    result = invoke("query", "agencies", "--endpoint", url)
    assert result.exit_code == 3
    assert result.stderr == (
        f"canus: error: {url}: HTTP 404: not found: is this the URL of the store's"
        " SPARQL query endpoint?\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("push",), "give --store URL or --update-endpoint URL (one of them)"),
        (("push", "--store", "http://127.0.0.1:9/s", "--update-endpoint", "http://127.0.0.1:9/u"),
         "give --store URL or --update-endpoint URL (one of them)"),
        (("push", "--store", "ftp://127.0.0.1/store"), "give an http:// or https:// URL"),
        (("push", "--store", "http://127.0.0.1:9/s", "--graph", "not an iri"), "not an IRI"),
        (("query", "agencies", "--graph", GRAPH), "give --endpoint URL too"),
        (("validate", "--graph", GRAPH), "give --endpoint URL too"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_before_any_request(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("canus: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A proxy in front of a store that answers 503 to its first ``failures`` requests and, with
    a ``login``, asks for it with HTTP basic auth (as a web server in front of a store does)."""

    target = ""
    failures = 0
    login = ""
    seen: list[int]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        expected = "Basic " + base64.b64encode(self.login.encode()).decode()
        if self.login and self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="canus"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.seen.append(len(self.seen))
        if len(self.seen) <= self.failures:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        request = urllib.request.Request(self.target, data=body, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            data = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.headers["Content-Type"])
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky(oxigraph_server, kg):
    """Start a 503-then-forward proxy to Oxigraph's query endpoint (the graph in GRAPH)."""
    push(kg, store=oxigraph_server.store, graph=GRAPH)
    servers = []

    def start(failures: int, login: str = "") -> tuple[str, list[int]]:
        seen: list[int] = []
        handler = type(
            "Handler",
            (_Flaky,),
            {"target": oxigraph_server.query, "failures": failures, "seen": seen, "login": login},
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query", seen

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_5xx_answer_is_tried_again(flaky, kg):
    url, seen = flaky(failures=1)
    remote = canus.query(canus.Endpoint(url, graphs=(GRAPH,)), "agencies")
    assert len(seen) == 2
    assert remote.column("agency") == canus.query(kg, "agencies").column("agency")


def test_a_store_that_keeps_failing_is_one_line_after_three_tries(flaky):
    url, seen = flaky(failures=10)
    result = invoke("query", "agencies", "--endpoint", url)
    assert result.exit_code == 3
    assert result.stderr == f"canus: error: {url}: HTTP 503: Service Unavailable\n"
    assert len(seen) == 3


def test_ctrl_c_in_the_middle_of_a_push_cleans_up(oxigraph_server, two_datasets):
    """A real SIGINT while batches go in: exit 130, the target as it was, no temporary graph."""
    first, _ = two_datasets
    push(canus.load(first), store=oxigraph_server.store, graph=GRAPH)
    temp = temporary_graph(GRAPH)
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("canus")), "push", "--update-endpoint",
         oxigraph_server.update, "--graph", GRAPH, "--batch-size", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not has_graph(oxigraph_server, temp):  # the batches have started
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr == "canus: error: interrupted\n"
    assert held(oxigraph_server, GRAPH) == triples_of(first)
    assert not has_graph(oxigraph_server, temp)


class _SlowInserts(http.server.BaseHTTPRequestHandler):
    """A proxy in front of a store's update endpoint that holds each INSERT for a moment before
    passing it on, whether or not its client still waits (a busy store does the same)."""

    target = ""
    holding: threading.Event
    pending: list[int]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if b"INSERT" in body:
            self.pending.append(1)
            self.holding.set()
            time.sleep(0.5)
        try:
            headers = {"Content-Type": self.headers["Content-Type"]}
            request = urllib.request.Request(self.target, data=body, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as answer:
                status = answer.status
        finally:
            if b"INSERT" in body:
                self.pending.pop()
        with contextlib.suppress(OSError):  # the client may have gone
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_ctrl_c_waits_for_the_batch_in_flight_before_the_cleanup(oxigraph_server, two_datasets):
    """Ctrl-C while the store still works on a batch: that batch lands, then the temporary
    graph is dropped (a drop sent at once would come first and the batch would bring the
    graph back, left in the store)."""
    first, _ = two_datasets
    push(canus.load(first), store=oxigraph_server.store, graph=GRAPH)
    holding, pending = threading.Event(), []
    handler = type(
        "Handler",
        (_SlowInserts,),
        {"target": oxigraph_server.update, "holding": holding, "pending": pending},
    )
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("canus")), "push", "--update-endpoint",
             f"http://127.0.0.1:{proxy.server_address[1]}/update", "--graph", GRAPH,
             "--batch-size", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert holding.wait(120), proc.communicate()
        proc.send_signal(signal.SIGINT)  # the first batch is held by the proxy
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr
        assert stderr == "canus: error: interrupted\n"
        deadline = time.monotonic() + 30
        while pending and time.monotonic() < deadline:  # every batch sent has reached the store
            time.sleep(0.05)
        assert not pending
        assert held(oxigraph_server, GRAPH) == triples_of(first)
        assert not has_graph(oxigraph_server, temporary_graph(GRAPH))
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_a_bar_shows_the_push_on_a_terminal(oxigraph_server):
    """On a (pseudo-)terminal a bar counts the triples sent; piped, only the summary line."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    command = [str(Path(sys.executable).with_name("canus")), "push", "--update-endpoint",
               oxigraph_server.update, "--graph", GRAPH + "/bar", "--batch-size", "5"]  # fmt: skip
    env = {**os.environ, "CANUS_PROGRESS_DELAY": "0"}  # a bar however fast the push
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert proc.wait(timeout=300) == 0
    text = output.decode("utf-8", "replace")
    assert re.search(r"push: +\d+%\|.*triples", text), text[-500:]
    assert text.rstrip().splitlines()[-1].split("\r")[-1].startswith("pushed ")


def test_basic_auth_from_the_environment(flaky, monkeypatch):
    url, seen = flaky(failures=0, login="alice:s3cret-basic")
    monkeypatch.setenv("CANUS_USER", "alice")
    monkeypatch.setenv("CANUS_PASSWORD", "s3cret-basic")
    result = invoke("query", "agencies", "--endpoint", url, "--graph", GRAPH, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "https://w3id.org/canus/id/cbsa" in result.stdout
    assert len(seen) == 1  # the login went with the second try, once the proxy asked for it
    monkeypatch.setenv("CANUS_PASSWORD", "wrong-basic")
    result = invoke("query", "agencies", "--endpoint", url, "--graph", GRAPH)
    assert result.exit_code == 3
    assert "HTTP 401: the store refused the user and password" in result.stderr
    assert "wrong-basic" not in result.stdout + result.stderr
