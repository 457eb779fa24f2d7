"""Validation results, located in the files, and their renderings for people and for CI."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

#: Severities from the most to the least serious, as SHACL names them.
SEVERITIES = ("Violation", "Warning", "Info")
REPORT_FORMATS = ("text", "json", "turtle", "junit", "github")


def severity_rank(severity: str) -> int:
    """0 for Violation, 1 for Warning, 2 for Info (an unknown severity counts as a Violation)."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        return 0


@dataclass(frozen=True)
class Violation:
    """One validation result, located: the thing, the property, the rule, where it is defined.

    ``focus`` is an IRI, or the N-Triples form of a literal or blank node focus node.
    """

    focus: str
    label: str | None
    path: str | None
    value: str | None
    shape: str
    component: str
    severity: str
    message: str
    file: str | None
    line: int | None

    def where(self) -> str:
        """``data/x.ttl:12``, or the file alone, or ``<graph>`` when no file holds the thing."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or "<graph>"

    def render(self, compact: Callable[[str], str]) -> str:
        """One line: ``file:line: id:x (Label): property: shape (component): message``."""
        thing = _focus_text(self.focus, compact) + (f" ({self.label})" if self.label else "")
        parts = [self.where(), thing]
        if self.severity != "Violation":
            parts.insert(1, self.severity.lower())
        if self.path:
            parts.append(self.path)
        parts.append(f"{self.shape} ({self.component})")
        text = ": ".join(parts) + ": " + self.message
        if self.value is not None:
            text += f" [value: {self.value}]"
        return text


def _focus_text(focus: str, compact: Callable[[str], str]) -> str:
    if focus.startswith(('"', "_:")):
        return focus
    return compact(focus)


@dataclass
class Report:
    """The outcome of :func:`canus.validate`.

    ``conforms`` is False when a result at or above ``fail_on`` was found (by default a
    Violation; SHACL's own ``sh:conforms`` in the Turtle report counts every result).
    """

    results: list[Violation]
    things: int
    compact_names: dict[str, str] = field(default_factory=dict, repr=False)
    graph: rdflib.Graph | None = field(default=None, repr=False)
    fail_on: str = "Violation"

    @property
    def violations(self) -> list[Violation]:
        """The results that fail the run (at or above ``fail_on``)."""
        limit = severity_rank(self.fail_on)
        return [r for r in self.results if severity_rank(r.severity) <= limit]

    @property
    def warnings(self) -> list[Violation]:
        """The results reported without failing the run."""
        limit = severity_rank(self.fail_on)
        return [r for r in self.results if severity_rank(r.severity) > limit]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def _compact(self, iri: str) -> str:
        return self.compact_names.get(iri, f"<{iri}>")

    def summary(self) -> str:
        """``2 violations, 1 warning in 1 file`` or ``valid: N things, 0 violations``."""
        files = {r.file for r in self.violations if r.file}
        v, w = len(self.violations), len(self.warnings)
        noun = "violation" if self.fail_on == "Violation" else "failing result"
        warn = f", {w} warning{'s' if w != 1 else ''}" if w else ""
        if not v:
            return f"valid: {self.things} things, 0 {noun}s{warn}"
        return (
            f"{v} {noun}{'s' if v != 1 else ''}{warn} in {len(files)} file"
            f"{'s' if len(files) != 1 else ''}"
        )

    def render(self, fmt: str = "text") -> str:
        """The report as text, json, turtle (the SHACL report graph), junit or github."""
        if fmt == "text":
            lines = [r.render(self._compact) for r in self.results]
            return "\n".join([*lines, self.summary()]) + "\n"
        if fmt == "json":
            payload = {
                "conforms": self.conforms,
                "things": self.things,
                "fail_on": self.fail_on,
                "violations": len(self.violations),
                "warnings": len(self.warnings),
                "results": [asdict(r) for r in self.results],
            }
            return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        if fmt == "turtle":
            if self.graph is None:
                return ""
            return self.graph.serialize(format="turtle")
        if fmt == "junit":
            return self._junit()
        if fmt == "github":
            return self._github()
        raise ValueError(f"unknown report format {fmt!r}")

    def _junit(self) -> str:
        """JUnit XML, as CI dashboards read it: a test case per result, failing ones failed."""
        failing = set(map(id, self.violations))
        cases = []
        for r in self.results:
            name = quoteattr(f"{r.where()}: {_focus_text(r.focus, self._compact)}: {r.shape}")
            classname = quoteattr(r.file or "graph")
            text = escape(r.render(self._compact))
            if id(r) in failing:
                body = (
                    f"<failure message={quoteattr(r.message)} type={quoteattr(r.component)}>"
                    f"{text}</failure>"
                )
            else:
                body = f"<system-out>{text}</system-out>"
            cases.append(f"    <testcase classname={classname} name={name}>{body}</testcase>")
        if not self.results:
            cases.append(
                '    <testcase classname="canus" name="shapes">'
                f"<system-out>{escape(self.summary())}</system-out></testcase>"
            )
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="canus validate" tests="{len(cases)}" '
            f'failures="{len(self.violations)}">\n'
            f'  <testsuite name="canus validate" tests="{len(cases)}" '
            f'failures="{len(self.violations)}" errors="0">\n'
        )
        return head + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n"

    def _github(self) -> str:
        """GitHub Actions workflow commands: an annotation per result on its file and line."""
        failing = set(map(id, self.violations))
        lines = []
        for r in self.results:
            if id(r) in failing:
                level = "error"
            else:
                level = "warning" if r.severity == "Warning" else "notice"
            props = []
            if r.file:
                props.append(f"file={_gh_property(r.file)}")
            if r.line:
                props.append(f"line={r.line}")
            props.append(f"title={_gh_property(r.shape + ' (' + r.component + ')')}")
            thing = _focus_text(r.focus, self._compact)
            message = f"{thing}: " + (f"{r.path}: " if r.path else "") + r.message
            if r.value is not None:
                message += f" [value: {r.value}]"
            lines.append(f"::{level} {','.join(props)}::{_gh_data(message)}")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
