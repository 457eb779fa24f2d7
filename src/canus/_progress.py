"""Progress of long work on a terminal (tqdm on stderr); nothing at all when stderr is piped.

The bar appears only after a second, so quick runs print nothing even on a terminal
(``CANUS_PROGRESS_DELAY`` sets another delay in seconds; the tests use 0).
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False  # typing is not imported: the loader starts before anything else
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, BinaryIO

DELAY_SECONDS = 1.0


def delay() -> float:
    """Seconds of work before a bar appears (``CANUS_PROGRESS_DELAY``, default one)."""
    try:
        return max(0.0, float(os.environ.get("CANUS_PROGRESS_DELAY", DELAY_SECONDS)))
    except ValueError:
        return DELAY_SECONDS


def wanted() -> bool:
    """Progress is shown only to a person: stderr is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Bar:
    """A tqdm bar on stderr that appears only once the work has run for a second."""

    def __init__(self, total: int | None, desc: str, since: float | None = None) -> None:
        self.total, self.desc, self.count = total, desc, 0
        self.started = time.monotonic() if since is None else since
        self.bar: Any = None

    def update(self, amount: int) -> None:
        self.count += amount
        if self.bar is None:
            if time.monotonic() - self.started < delay():
                return
            from tqdm import tqdm

            self.bar = tqdm(
                total=self.total,
                initial=self.count - amount,
                desc=self.desc,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                leave=False,
                file=sys.stderr,
            )
        self.bar.update(amount)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _bar(enabled: bool, total: int | None, desc: str, since: float | None = None) -> _Bar | None:
    return _Bar(total, desc, since) if enabled and wanted() else None


class ProgressWriter:
    """A binary stream that passes writes on and counts them on a bar ("export 12.3MB").

    ``since`` (a ``time.monotonic()``) is when the run began, if before this stream: an export
    that follows a long load shows its bar at once, however quickly it writes."""

    def __init__(
        self, out: BinaryIO, *, enabled: bool, desc: str = "export", since: float | None = None
    ) -> None:
        self._out = out
        self._bar = _bar(enabled, None, desc, since)

    def write(self, data: bytes) -> int:
        written = self._out.write(data)
        if self._bar is not None:
            self._bar.update(len(data))
        return written if written is not None else len(data)

    def flush(self) -> None:
        self._out.flush()

    def __enter__(self) -> ProgressWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


class ProgressReader:
    """A binary stream that passes reads on and shows how much of ``total`` bytes is read."""

    def __init__(self, source: BinaryIO, total: int, *, enabled: bool, desc: str) -> None:
        self._source = source
        self._bar = _bar(enabled, total, desc)

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        if self._bar is not None:
            self._bar.update(len(data))
        return data

    def __enter__(self) -> ProgressReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
