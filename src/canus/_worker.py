"""Long work (load, query, export) in a worker thread, so Ctrl-C and timeouts are heard at once.

Oxigraph does not look at Python signals while it parses or evaluates, so work running in the
main thread cannot be interrupted. Here the main thread only waits: Ctrl-C raises
KeyboardInterrupt in it straight away, a timeout ends the wait, and the files the work had
started are removed before the exception goes on. The abandoned thread is a daemon; the
``canus`` command exits the process at once after it (see :func:`abandoned`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported: the script's early load uses this module
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, TypeVar

    T = TypeVar("T")

_lock = threading.Lock()
_pending: dict[Path, threading.Thread] = {}  # temporary file → the thread making it
_given_up: list[Background] = []  # runs given up (interrupted or timed out)


class Cancelled(BaseException):
    """Raised in a worker that tries to start a file after its run was given up."""


def create(make: Callable[[], Path]) -> Path:
    """Create a temporary file or folder with ``make()`` and note it, to remove it if the run
    is given up; both happen under one lock, so the cleanup never misses a file made just before
    it. Raises :class:`Cancelled` if the run was already given up."""
    me = threading.current_thread()
    with _lock:
        if any(work.thread is me for work in _given_up):
            raise Cancelled()
        path = make()
        _pending[path] = me
        return path


def untrack(path: Path) -> None:
    """The temporary file is gone or in its place: nothing to remove any more."""
    with _lock:
        _pending.pop(path, None)


def _remove_pending(thread: threading.Thread) -> None:
    """Remove the temporary files of ``thread`` (other threads' work is left alone)."""
    import shutil

    with _lock:
        paths = [path for path, owner in _pending.items() if owner is thread]
        for path in paths:
            del _pending[path]
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


def abandoned() -> bool:
    """True when a worker was given up (interrupted or timed out) and may still be running.
    (Not ``Thread.is_alive()``: after Ctrl-C in ``join()``, Python 3.11 reports the thread
    stopped while it still runs.)"""
    return any(not work.finished.is_set() for work in _given_up)


class Background:
    """``func()`` running in a daemon thread from now on; :meth:`result` waits for it and
    returns its value or raises its exception (its traceback kept as text, see _detached)."""

    def __init__(
        self, func: Callable[[], Any], name: str = "canus-worker", *, start: bool = True
    ) -> None:
        self._box: dict[str, Any] = {}
        #: set when ``func()`` has returned or raised
        self.finished = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(func,), name=name, daemon=True)
        if start:
            self.thread.start()

    def _run(self, func: Callable[[], Any]) -> None:
        try:
            self._box["value"] = func()
        except BaseException as exc:  # handed to the thread that asks for the result
            self._box["error"] = _detached(exc)
        finally:
            self.finished.set()

    def result(self) -> Any:
        self.thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]


def run(
    func: Callable[[], T],
    *,
    timeout: float | None = None,
    on_timeout: Callable[[], BaseException] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> T:
    """Run ``func()`` in a worker thread and return its result (or raise its exception).

    Ctrl-C in the waiting thread removes the files the work started and raises
    KeyboardInterrupt; after ``timeout`` seconds the same cleanup happens and the exception
    made by ``on_timeout`` is raised. ``meanwhile()`` runs in the waiting thread while the work
    goes on (the command imports what it needs next while Oxigraph parses).
    """
    if threading.current_thread() is not threading.main_thread():
        if meanwhile is not None:
            meanwhile()
        return func()  # already in a worker (or a server thread): signals cannot reach us
    # started inside the try: Ctrl-C can land while start() waits for the thread, which may
    # have made its first file by then, and that file must still be removed
    work = Background(func, start=False)
    try:
        work.thread.start()
        if meanwhile is not None:
            meanwhile()
        work.thread.join(timeout)
    except BaseException:
        _give_up(work)
        raise
    if not work.finished.is_set():
        _give_up(work)
        raise on_timeout() if on_timeout else TimeoutError(f"no result within {timeout} s")
    return work.result()


def _detached(exc: BaseException) -> BaseException:
    """The exception without its tracebacks (kept as text in ``exc.canus_traceback``): their
    frames hold Oxigraph objects that must be freed in the thread that made them."""
    import traceback

    exc.canus_traceback = "".join(traceback.format_exception(exc))  # type: ignore[attr-defined]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


def _give_up(work: Background) -> None:
    with _lock:  # runs that have ended since are forgotten, their results with them
        _given_up[:] = [w for w in _given_up if not w.finished.is_set()]
        _given_up.append(work)
    _remove_pending(work.thread)
