"""What the web process checks in a query's text before a worker runs it.

It reads the text with canus's one SPARQL scanner (:func:`canus._sparql.scan`): updates and
SERVICE calls are refused, and answers of queries calling a function that changes from one run
to the next are never cached.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from canus._errors import QueryError
from canus._sparql import scan, tokens

# Functions whose value changes from one run to the next: such answers are never cached.
_VOLATILE = {"RAND", "NOW", "UUID", "STRUUID", "BNODE"}
_MAYBE_VOLATILE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.I)


def volatile(text: str) -> bool:
    """Whether the query calls a function whose value changes between runs."""
    if not _MAYBE_VOLATILE.search(text):
        return False
    return any(t.kind == "word" and t.text.upper() in _VOLATILE for t in tokens(text))


@dataclass(frozen=True)
class Checked:
    """What the web process needs to know of a query's text before running it."""

    is_update: bool
    service: bool
    volatile: bool
    error: str = ""


@functools.lru_cache(maxsize=2048)
def check_query(text: str) -> Checked:
    """Read the query's shape with canus's one SPARQL scanner (remembered per text)."""
    try:
        shape = scan(text)
    except QueryError as exc:
        return Checked(False, False, False, f"malformed query: {exc}")
    return Checked(shape.is_update, bool(shape.service), volatile(text))
