"""Progress of long work on a terminal (tqdm on stderr); nothing at all when stderr is piped.

The bar appears only after a second, so quick runs print nothing even on a terminal.
"""

from __future__ import annotations

import sys
from typing import Any, BinaryIO

DELAY_SECONDS = 1.0


def wanted() -> bool:
    """Progress is shown only to a person: stderr is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _bar(enabled: bool, total: int | None, desc: str) -> Any:
    if not (enabled and wanted()):
        return None
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        delay=DELAY_SECONDS,
        leave=False,
        file=sys.stderr,
    )


class ProgressWriter:
    """A binary stream that passes writes on and counts them on a bar ("export 12.3MB")."""

    def __init__(self, out: BinaryIO, *, enabled: bool, desc: str = "export") -> None:
        self._out = out
        self._bar = _bar(enabled, None, desc)

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
