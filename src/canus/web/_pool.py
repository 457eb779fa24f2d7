"""Query worker processes that can really be stopped.

Oxigraph cannot interrupt a query in its thread, so every query runs in a worker process. A
*zygote*, forked once after the graph is loaded (single-threaded, before the web server starts),
forks the workers on request: each worker shares the loaded graph copy-on-write and answers one
job at a time over a socket pair. When a job runs past its time limit the web process asks the
zygote to kill that worker (its CPU is freed at once) and to fork a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import pickle
import resource
import select
import signal
import socket
import struct
import sys
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

log = logging.getLogger("canus.serve")

Handler = Callable[[Any], Any]
_HEADER = struct.Struct("!Q")  # each message: its length, then its pickle


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    """``size`` bytes from a blocking socket; EOFError if the other end closed."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError
        got += n
    return bytes(buffer)


def _send_message(sock: socket.socket, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


class JobTimeout(Exception):
    """A job ran past its time limit; its worker was killed and replaced."""


class WorkerLost(Exception):
    """A worker died during a job (out of memory, or a crash); it was replaced."""


class PoolBusy(Exception):
    """Too many jobs are waiting for a worker."""


def _vm_size() -> int:
    """This process's virtual memory size in bytes (0 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _worker_main(sock: socket.socket, handler: Handler, memory: int | None) -> None:
    """A worker's life: answer jobs until the web process goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if memory:
        base = _vm_size()
        if base:
            limit = base + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            (size,) = _HEADER.unpack(_recv_exactly(sock, _HEADER.size))
            job = pickle.loads(_recv_exactly(sock, size))
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply = handler(job)
        except MemoryError:
            reply = MemoryError("the query needed more memory than a request may use")
        except Exception as exc:  # the handler answers errors itself; this is a bug
            reply = RuntimeError(f"{type(exc).__name__}: {exc}")
        try:
            _send_message(sock, reply)
        except (OSError, MemoryError):
            os._exit(1)


def _zygote_main(control: socket.socket, handler: Handler, memory: int | None) -> None:
    """Fork workers on request (``spawn``), kill them (``kill PID``), reap the dead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    live: set[int] = set()

    def reap() -> None:
        while live:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                live.clear()
                return
            if pid == 0:
                return
            live.discard(pid)

    while True:
        ready, _, _ = select.select([control], [], [], 1.0)
        reap()
        if not ready:
            continue
        try:
            command = control.recv(64)
        except OSError:
            command = b""
        if not command:
            break
        if command == b"spawn":
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                control.close()
                ours.close()
                _worker_main(theirs, handler, memory)
                os._exit(0)
            live.add(pid)
            socket.send_fds(control, [str(pid).encode()], [ours.fileno()])
            ours.close()
            theirs.close()
        elif command.startswith(b"kill "):
            pid = int(command.split()[1])
            if pid in live:  # never a pid we have already reaped (it could be reused)
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                live.discard(pid)
    for pid in live:
        os.kill(pid, signal.SIGKILL)
    os._exit(0)


class _Worker:
    """The web process's end of one worker: its pid and a non-blocking socket."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock
        sock.setblocking(False)

    async def ask(self, loop: asyncio.AbstractEventLoop, job: Any) -> Any:
        """Send ``job``, wait for the whole reply."""
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        await loop.sock_sendall(self.sock, _HEADER.pack(len(data)) + data)
        (size,) = _HEADER.unpack(await self._read(loop, _HEADER.size))
        return pickle.loads(await self._read(loop, size))

    async def _read(self, loop: asyncio.AbstractEventLoop, size: int) -> bytes:
        buffer = bytearray(size)
        view = memoryview(buffer)
        got = 0
        while got < size:
            n = await loop.sock_recv_into(self.sock, view[got:])
            if n == 0:
                raise EOFError
            got += n
        return bytes(buffer)


class WorkerPool:
    """``size`` worker processes running ``handler(job)``; :meth:`run` awaits one job's reply."""

    # Every started pool of this process: a zygote forked later closes their sockets, so that
    # each pool's processes see the web process go away (EOF) and no one else's.
    _started: ClassVar[weakref.WeakSet[WorkerPool]] = weakref.WeakSet()

    def __init__(
        self,
        handler: Handler,
        size: int,
        *,
        memory: int | None = None,
        max_waiting: int = 512,
    ) -> None:
        self.handler = handler
        self.size = max(1, size)
        self.memory = memory
        self.max_waiting = max_waiting
        self._control: socket.socket | None = None
        self._zygote_pid = 0
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: dict[int, _Worker] = {}
        self._waiting = 0

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Fork the zygote and the workers. Call before any thread or event loop starts."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        gc.freeze()  # the objects made so far stay shared: the collector never writes to them
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            ours.close()
            for other in list(WorkerPool._started):
                other._forget()
            try:
                _zygote_main(theirs, self.handler, self.memory)
            finally:
                os._exit(0)
        theirs.close()
        self._control = ours
        self._zygote_pid = pid
        WorkerPool._started.add(self)
        for _ in range(self.size):
            worker = self._spawn()
            self._workers[worker.pid] = worker

    def _forget(self) -> None:
        """In a freshly forked process: close this pool's sockets (they belong to the parent)."""
        for worker in self._workers.values():
            worker.sock.close()
        if self._control is not None:
            self._control.close()
        self._workers, self._control = {}, None

    def close(self) -> None:
        """Stop every worker and the zygote."""
        WorkerPool._started.discard(self)
        if self._control is not None:
            self._control.close()
            self._control = None
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._zygote_pid, 0)

    @property
    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        return sorted(self._workers)

    def _spawn(self) -> _Worker:
        assert self._control is not None
        self._control.sendall(b"spawn")
        message, fds, _, _ = socket.recv_fds(self._control, 64, 1)
        if not fds:
            raise RuntimeError("the query worker could not be started")
        return _Worker(int(message), socket.socket(fileno=fds[0]))

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (if still alive) and put a fresh one in its place."""
        self._workers.pop(worker.pid, None)
        worker.sock.close()
        if self._control is None:
            return
        self._control.sendall(f"kill {worker.pid}".encode())
        fresh = self._spawn()
        self._workers[fresh.pid] = fresh
        self._idle_queue().put_nowait(fresh)

    def _idle_queue(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers.values():
                self._idle.put_nowait(worker)
        return self._idle

    # -- jobs -------------------------------------------------------------------------------
    async def run(self, job: Any, timeout: float) -> Any:
        """Send ``job`` to an idle worker and return its reply.

        Raises :class:`JobTimeout` after ``timeout`` seconds (waiting included), having killed
        and replaced the worker; :class:`WorkerLost` if the worker died; :class:`PoolBusy` when
        too many jobs wait already.
        """
        if self._waiting >= self.max_waiting:
            raise PoolBusy()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle_queue().get(), timeout)
        except asyncio.TimeoutError:
            raise JobTimeout() from None
        finally:
            self._waiting -= 1
        try:
            reply = await asyncio.wait_for(
                worker.ask(loop, job), max(0.001, deadline - loop.time())
            )
        except asyncio.TimeoutError:
            log.warning("worker %d stopped: job ran past %.1f s", worker.pid, timeout)
            self._replace(worker)
            raise JobTimeout() from None
        except (EOFError, OSError, pickle.UnpicklingError):
            log.warning("worker %d died during a job; replaced", worker.pid)
            self._replace(worker)
            raise WorkerLost() from None
        except BaseException:  # cancelled: the worker's state is unknown, replace it
            self._replace(worker)
            raise
        self._idle_queue().put_nowait(worker)
        if isinstance(reply, MemoryError):
            raise WorkerLost(str(reply))
        if isinstance(reply, BaseException):
            raise reply
        return reply
