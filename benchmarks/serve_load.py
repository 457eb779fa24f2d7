"""Load test of ``canus serve`` beside Oxigraph's server and rdflib-endpoint, same data, same run.

Each server gets the canus graph (a named graph per file, queried as their union). A bounded
loop of concurrent keep-alive clients (asyncio, one process) sends the same request again and
again for ``--seconds`` per cell, after a short warm-up, and the table reports requests per
second, p50 and p99 latency and errors, at 1, 4 and 16 clients: the median of ``--rounds``
rounds, the servers measured in turn in each round. Traffic goes to 127.0.0.1 only.

    .venv/bin/pip install -e '.[bench]'        # rdflib-endpoint
    .venv/bin/python benchmarks/serve_load.py --seconds 3 --rounds 3

Requests: a saved query (agencies-in-program, program=id:ibet) through each SPARQL endpoint;
the same through canus's API (/api/agencies-in-program.json); a thing's page (/id/norad).
canus runs twice: as shipped (answers of the read-only graph kept in a bounded cache) and with
``--cache-mb 0`` (every request evaluated in a query worker process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import canus
from canus._sparql import with_values

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUERY = "agencies-in-program"
PARAMS = {"program": "https://w3id.org/canus/id/ibet"}
JSON = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def started(args: list[str], ready_url: str, log: Path) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends; stop it by its pid."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{args[0]} did not start:\n{log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- a small keep-alive HTTP/1.1 client -----------------------------------------------------------
async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(
    port: int, request: bytes, until: float, warm: float, latencies: list[float], errors: list
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    try:
        while True:
            start = loop.time()
            if start >= until:
                break
            try:
                writer.write(request)
                status = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(repr(exc))
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if start >= warm:
                latencies.append(loop.time() - start)
                if status != 200:
                    errors.append(status)
    finally:
        writer.close()


@dataclass
class Cell:
    rate: float
    p50: float
    p99: float
    errors: int


async def _measure(port: int, request: bytes, clients: int, seconds: float, warmup: float) -> Cell:
    loop = asyncio.get_running_loop()
    warm = loop.time() + warmup
    until = warm + seconds
    latencies: list[float] = []
    errors: list = []
    await asyncio.gather(
        *(_client(port, request, until, warm, latencies, errors) for _ in range(clients))
    )
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    return Cell(
        len(latencies) / seconds,
        statistics.median(latencies) * 1000 if latencies else 0,
        p99 * 1000,
        len(errors),
    )


def _median(cells: list[Cell]) -> Cell:
    """The median of each figure over the rounds; errors are summed."""
    return Cell(
        statistics.median(c.rate for c in cells),
        statistics.median(c.p50 for c in cells),
        statistics.median(c.p99 for c in cells),
        sum(c.errors for c in cells),
    )


def measure(port: int, path: str, accept: str, clients: int, seconds: float) -> Cell:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode()
    return asyncio.run(_measure(port, request, clients, seconds, min(1.0, seconds / 4)))


# -- the run ----------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per cell")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each cell's median is kept")
    args = parser.parse_args()

    kg = canus.load(ROOT)
    saved = canus.catalog(kg)
    text = next(q for q in saved if q.name == QUERY)
    bound = text.bind(PARAMS, kg.prefixes)
    sparql = with_values(text.text, bound)
    encoded = urllib.parse.urlencode({"query": sparql})
    api = f"/api/{QUERY}.json?" + urllib.parse.urlencode(PARAMS)

    tmp = Path(tempfile.mkdtemp(prefix="canus-serve-load-"))
    try:
        nquads = tmp / "canus.nq"
        nquads.write_bytes(canus.export(kg, "nquads"))
        ntriples = tmp / "canus.nt"
        ntriples.write_bytes(canus.export(kg, "nt"))
        oxigraph = shutil.which("oxigraph") or str(BIN / "oxigraph")
        subprocess.run(
            [oxigraph, "load", "--location", str(tmp / "ox"), "--file", str(nquads)],
            check=True,
            capture_output=True,
        )
        ports = {name: free_port() for name in ("canus", "nocache", "oxigraph", "rdflib")}
        servers = {
            "canus serve": (
                [str(BIN / "canus"), "serve", "--port", str(ports["canus"]), "--quiet"],
                ports["canus"],
                [
                    ("saved query, /sparql", f"/sparql?{encoded}", JSON),
                    ("saved query, /api", api, JSON),
                    ("page /id/norad", "/id/norad", "text/html"),
                ],
            ),
            "canus serve --cache-mb 0": (
                [
                    str(BIN / "canus"),
                    "serve",
                    "--port",
                    str(ports["nocache"]),
                    "--quiet",
                    "--cache-mb",
                    "0",
                ],
                ports["nocache"],
                [
                    ("saved query, /sparql", f"/sparql?{encoded}", JSON),
                    ("page /id/norad", "/id/norad", "text/html"),
                ],
            ),
            "Oxigraph server": (
                [
                    oxigraph,
                    "serve",
                    "--location",
                    str(tmp / "ox"),
                    "--union-default-graph",
                    "--bind",
                    f"127.0.0.1:{ports['oxigraph']}",
                ],
                ports["oxigraph"],
                [("saved query, /query", f"/query?{encoded}", JSON)],
            ),
            "rdflib-endpoint": (
                [
                    str(BIN / "rdflib-endpoint"),
                    "serve",
                    str(ntriples),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(ports["rdflib"]),
                ],
                ports["rdflib"],
                [("saved query, /", f"/?{encoded}", JSON)],
            ),
        }
        load = os.getloadavg()[0]
        results: dict[tuple[str, str], dict[int, list[Cell]]] = {}
        with contextlib.ExitStack() as stack:
            running = {}
            for name, (command, port, requests) in servers.items():
                if not Path(command[0]).exists():
                    print(f"{name}: not installed (pip install -e '.[bench]')", file=sys.stderr)
                    continue
                ready = f"http://127.0.0.1:{port}{requests[0][1]}"
                stack.enter_context(started(command, ready, tmp / f"{port}.log"))
                running[name] = (port, requests)
            # every cell once per round, servers in turn: a busy moment hits them all alike
            for _ in range(args.rounds):
                for name, (port, requests) in running.items():
                    for label, path, accept in requests:
                        for clients in args.clients:
                            cell = measure(port, path, accept, clients, args.seconds)
                            results.setdefault((name, label), {}).setdefault(clients, [])
                            results[(name, label)][clients].append(cell)
        print(
            f"canus {canus.__version__}, {len(kg)} triples, {os.cpu_count()} CPUs, "
            f"{args.seconds:g} s per cell, median of {args.rounds} rounds, "
            f"load average {load:.1f} before / {os.getloadavg()[0]:.1f} after\n"
        )
        print("| server | request | clients | req/s | p50 ms | p99 ms | errors |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for (name, label), by_clients in results.items():
            for clients, cells in by_clients.items():
                cell = _median(cells)
                print(
                    f"| {name} | {label} | {clients} | {cell.rate:,.0f} | "
                    f"{cell.p50:.1f} | {cell.p99:.1f} | {cell.errors} |"
                )
        if args.clients == [1, 4, 16]:
            print(
                "\n| server, request | req/s at 1 / 4 / 16 clients | p50 ms at 16 | p99 ms at 16 "
                "| errors |\n|---|---|---:|---:|---:|"
            )
            for (name, label), by_clients in results.items():
                cells = {c: _median(v) for c, v in by_clients.items()}
                rates = " / ".join(f"{cells[c].rate:,.0f}" for c in (1, 4, 16))
                errors = sum(c.errors for c in cells.values())
                print(
                    f"| {name}, {label} | {rates} | {cells[16].p50:.1f} | {cells[16].p99:.1f} "
                    f"| {errors} |"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
