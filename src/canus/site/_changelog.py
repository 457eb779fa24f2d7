"""The release date of a version, read from CHANGELOG.md: the one date a build may contain.

A build never reads the clock, so two builds of the same data are byte-identical; the date a
release carries is the one its CHANGELOG entry gives (``## 0.1.0 - 2026-11-30``).
"""

from __future__ import annotations

import re
from pathlib import Path

from canus._errors import InputError

_ENTRY = re.compile(
    r"^##\s*\[?v?(?P<version>\d+\.\d+\.\d+[\w.+-]*)\]?\s*(?:[-–—]\s*|\()"
    r"(?P<date>\d{4}-\d{2}-\d{2})",
    re.M,
)


def release_date(changelog: Path, version: str) -> str:
    """The ISO date of ``version``'s entry in ``changelog``; InputError naming what to add."""
    if not changelog.is_file():
        raise InputError(
            f"{changelog.name}: missing; a release needs an entry '## {version} - YYYY-MM-DD'"
            " (or pass a date)"
        )
    text = changelog.read_text(encoding="utf-8")
    for match in _ENTRY.finditer(text):
        if match.group("version") == version:
            return match.group("date")
    raise InputError(
        f"{changelog.name}: no entry for version {version}; add '## {version} - YYYY-MM-DD'"
    )


def entry(changelog: Path, version: str) -> str:
    """The text of ``version``'s entry (its heading to the next ``## ``), for the release."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    lines = text.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            match = _ENTRY.match(line)
            inside = bool(match and match.group("version") == version)
        if inside:
            out.append(line)
    return "\n".join(out).strip() + "\n" if out else ""
