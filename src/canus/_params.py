"""Query parameters: declared types, checked values, bound as RDF terms (never pasted as text)."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import pyoxigraph as ox

from canus._errors import ParameterError
from canus._namespaces import PREFIXES, XSD, expand

TYPES = ("iri", "string", "integer", "decimal", "date", "year", "boolean")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")


@dataclass(frozen=True)
class Param:
    """A saved query's parameter: ``# param: NAME TYPE [default=VALUE] [DESCRIPTION]``."""

    name: str
    type: str
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None


def parse_param_line(text: str) -> Param:
    """Parse the part after ``# param:``; raise ValueError with what is wrong."""
    words = text.split()
    if len(words) < 2:
        raise ValueError("expected '# param: NAME TYPE [default=VALUE] [description]'")
    name, kind, *rest = words
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"parameter name {name!r} is not a SPARQL variable name")
    if kind not in TYPES:
        raise ValueError(
            f"parameter {name!r} has unknown type {kind!r} (use one of {', '.join(TYPES)})"
        )
    default = None
    if rest and rest[0].startswith("default="):
        default = rest.pop(0)[len("default=") :]
    return Param(name, kind, default, " ".join(rest))


def to_term(
    param_name: str, kind: str, value: str, prefixes: dict[str, str] | None = None
) -> ox.NamedNode | ox.Literal:
    """Check ``value`` against ``kind`` and return the RDF term to bind."""
    value = value.strip()
    check_utf8(param_name, value)

    def bad(expected: str) -> ParameterError:
        return ParameterError(f"parameter '{param_name}': expected {expected}, got {value!r}")

    if kind == "iri":
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        if not iri.startswith(("http://", "https://", "urn:")):
            expanded = expand(iri, prefixes or PREFIXES)
            if expanded is None:
                raise bad("an IRI such as https://w3id.org/canus/id/ibet or id:ibet")
            iri = expanded
        if not _IRI_SCHEME.match(iri):
            raise bad("an IRI such as https://w3id.org/canus/id/ibet or id:ibet")
        try:
            return ox.NamedNode(iri)
        except ValueError:
            raise bad("a valid IRI") from None
    if kind == "string":
        return ox.Literal(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise bad("an integer")
        # canonical form without int(): Python refuses to convert more than 4300 digits
        sign = "-" if value.startswith("-") else ""
        digits = value.lstrip("+-").lstrip("0") or "0"
        return ox.Literal(
            ("" if digits == "0" else sign) + digits, datatype=ox.NamedNode(XSD + "integer")
        )
    if kind == "decimal":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value):
            raise bad("a decimal number")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    if kind == "date":
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise bad("a date YYYY-MM-DD") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise bad("a date YYYY-MM-DD")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if kind == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise bad("a year YYYY")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))
    if kind == "boolean":
        if value.lower() not in ("true", "false"):
            raise bad("true or false")
        return ox.Literal(value.lower(), datatype=ox.NamedNode(XSD + "boolean"))
    raise ParameterError(f"parameter '{param_name}': unknown type {kind!r}")


def check_utf8(param_name: str, value: str) -> None:
    """ParameterError for text that is not valid UTF-8 (undecodable bytes of a command line)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start].encode("utf-8", "surrogateescape")
        raise ParameterError(
            f"parameter '{param_name}': not valid UTF-8 (byte 0x{bad[0]:02x}"
            f" at position {exc.start + 1})"
        ) from None


def guess_term(
    name: str, value: str, prefixes: dict[str, str] | None = None
) -> ox.NamedNode | ox.Literal:
    """Type an ad-hoc parameter by its form: ``<iri>``/``prefix:x`` → IRI, digits → integer,
    ``YYYY-MM-DD`` → date, else a string."""
    check_utf8(name, value)
    stripped = value.strip()
    if stripped.startswith("<") or stripped.startswith(("http://", "https://")):
        return to_term(name, "iri", stripped, prefixes)
    if (
        ":" in stripped
        and expand(stripped, prefixes or PREFIXES) is not None
        and " " not in stripped
    ):
        return to_term(name, "iri", stripped, prefixes)
    if re.fullmatch(r"[+-]?\d+", stripped):
        return to_term(name, "integer", stripped)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stripped):
        return to_term(name, "date", stripped)
    return ox.Literal(value)
