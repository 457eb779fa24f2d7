"""``canus diff OLD NEW``: what changed between two releases or graphs.

Either side may be a release folder (``dist/``, read from its ``canus.nq``), a dataset folder
(``ontology/`` and ``data/``, loaded as usual), or one RDF file in any format canus writes. The
union of each side's triples is compared (which file a fact sits in does not count): a subject
with no triple on the old side was added, one with none on the new side removed, and any
other whose facts differ changed, with the facts added and removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from canus._errors import InputError
from canus._namespaces import PREFIXES, RDF, RDFS, XSD, compact

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
MAX_VALUE = 120  # characters of a literal shown in a report


@dataclass
class Change:
    """One subject that changed: the facts (predicate, object) it gained and lost."""

    subject: str
    added: list[tuple[str, object]] = field(default_factory=list)
    removed: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Diff:
    """Things added, removed and changed between two graphs, with labels to print them."""

    old: str
    new: str
    added: list[str]
    removed: list[str]
    changed: list[Change]
    labels: dict[str, str]
    kinds: dict[str, str]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def _name(self, iri: str) -> str:
        label = self.labels.get(iri)
        kind = self.kinds.get(iri)
        return " ".join(
            part for part in (compact(iri), label and f"“{label}”", kind and f"({kind})") if part
        )

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"

    def render(self, fmt: str = "text") -> str:
        """As ``text`` (a line per thing, ``+``/``-`` per fact) or ``md`` (for the CHANGELOG)."""
        if fmt == "md":
            return self._markdown()
        lines = [f"{self.old} → {self.new}: {self.summary()}"]
        lines += [f"added    {self._name(s)}" for s in self.added]
        lines += [f"removed  {self._name(s)}" for s in self.removed]
        for change in self.changed:
            lines.append(f"changed  {self._name(change.subject)}")
            lines += [f"  - {compact(p)} {_term(o)}" for p, o in change.removed]
            lines += [f"  + {compact(p)} {_term(o)}" for p, o in change.added]
        return "\n".join(lines) + "\n"

    def _markdown(self) -> str:
        lines = [f"Changes to the graph: {self.summary()}.", ""]
        for title, items in (("Added", self.added), ("Removed", self.removed)):
            if items:
                lines += [f"#### {title} ({len(items)})", ""]
                lines += [f"- {_md_name(self, s)}" for s in items]
                lines.append("")
        if self.changed:
            lines += [f"#### Changed ({len(self.changed)})", ""]
            for change in self.changed:
                lines.append(f"- {_md_name(self, change.subject)}")
                lines += [f"  - removed `{compact(p)}` {_md(o)}" for p, o in change.removed]
                lines += [f"  - added `{compact(p)}` {_md(o)}" for p, o in change.added]
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _md_name(diff: Diff, iri: str) -> str:
    label = diff.labels.get(iri)
    kind = diff.kinds.get(iri)
    return f"`{compact(iri)}`" + (f" {label}" if label else "") + (f" ({kind})" if kind else "")


def _term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, ox.Literal)
    value = term.value if len(term.value) <= MAX_VALUE else term.value[: MAX_VALUE - 1] + "…"
    value = value.replace("\n", " ")
    if term.language:
        return f'"{value}"@{term.language}'
    if term.datatype.value == XSD + "string":
        return f'"{value}"'
    return f'"{value}"^^{compact(term.datatype.value)}'


def _md(term: object) -> str:
    return "`" + _term(term).replace("`", "'") + "`"


def read_graph(source: str | os.PathLike[str]) -> set[ox.Triple]:
    """The triples of a release folder, a dataset folder or an RDF file (graph names dropped)."""
    path = Path(source)
    if path.is_dir():
        for name in ("canus.nq", "canus.nt", "canus.ttl"):
            if (path / name).is_file():
                return read_graph(path / name)
        if (path / "ontology" / "canus.ttl").is_file():
            from canus._load import load

            kg = load(path)
            return {q.triple for q in kg.store}
        raise InputError(f"{path}: neither a release (canus.nq) nor a dataset (ontology/, data/)")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"{path}: unknown RDF format; use a release folder, a dataset folder or one of"
            f" {', '.join(sorted(_FORMATS))}"
        )
    try:
        with path.open("rb") as handle:
            return {q.triple for q in ox.parse(handle, format=fmt)}
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or folder") from None
    except SyntaxError as exc:
        raise InputError(f"{path}: cannot parse: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def diff(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> Diff:
    """Compare two releases or graphs (see the module docstring for what each may be)."""
    before, after = read_graph(old), read_graph(new)
    gone, came = before - after, after - before
    old_subjects = {t.subject for t in before}
    new_subjects = {t.subject for t in after}
    touched = {t.subject for t in gone | came}
    added = sorted((s for s in touched if s not in old_subjects), key=str)
    removed = sorted((s for s in touched if s not in new_subjects), key=str)
    changes: dict[object, Change] = {}
    for triple in sorted(gone | came, key=str):
        subject = triple.subject
        if subject in old_subjects and subject in new_subjects:
            change = changes.setdefault(subject, Change(subject.value))
            fact = (triple.predicate.value, triple.object)
            (change.removed if triple in gone else change.added).append(fact)
    for change in changes.values():
        for facts in (change.added, change.removed):
            facts.sort(key=lambda fact: (compact(fact[0]), _term(fact[1])))
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for triple in sorted(before | after, key=str):
        s, p, o = triple.subject.value, triple.predicate.value, triple.object
        if p == RDFS + "label" and isinstance(o, ox.Literal) and o.language == "en":
            labels.setdefault(s, o.value)
        elif p == RDF + "type" and isinstance(o, ox.NamedNode):
            kinds.setdefault(s, compact(o.value, PREFIXES))
    return Diff(
        str(old),
        str(new),
        [s.value for s in added],
        [s.value for s in removed],
        [changes[s] for s in sorted(changes, key=str)],
        labels,
        kinds,
    )
