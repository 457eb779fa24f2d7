"""A real ``canus serve`` on a free 127.0.0.1 port, for the endpoint and page tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stores import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Server:
    """A running server: its base URL, its process, and the file its log goes to."""

    url: str
    process: subprocess.Popen
    log: Path

    def descendants(self) -> set[int]:
        """Every process under the server (the zygote and the query workers)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
        found: set[int] = set()
        todo = [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


@contextlib.contextmanager
def running_server(tmp: Path, *args: str) -> Iterator[Server]:
    """Start ``canus serve`` with ``args`` on a free port; stop it (by its pid) afterwards."""
    port = free_port()
    exe = Path(sys.executable).with_name("canus")
    log = tmp / f"serve-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(exe), "serve", "--port", str(port), *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/static/canus.css", process, log)
        yield Server(url, process, log)
    finally:
        stop(process)
