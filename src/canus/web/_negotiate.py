"""Content negotiation: the Accept header, a ``format=`` parameter or a path suffix → a format."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One output format: a short name, its media type, and the suffix that asks for it."""

    name: str
    media_type: str
    suffix: str


# SELECT and ASK results (SPARQL 1.1 Query Results formats).
RESULTS = (
    Format("json", "application/sparql-results+json", "srj"),
    Format("xml", "application/sparql-results+xml", "srx"),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)
# CONSTRUCT and DESCRIBE results, and linked data.
GRAPHS = (
    Format("turtle", "text/turtle", "ttl"),
    Format("jsonld", "application/ld+json", "jsonld"),
    Format("nt", "application/n-triples", "nt"),
    Format("rdfxml", "application/rdf+xml", "rdf"),
)
HTML = Format("html", "text/html", "html")
PAGES = (HTML, *GRAPHS)

# Media types clients send for the same thing.
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/plain": "nt",
    "application/xhtml+xml": "html",
}
# Names accepted in ``format=`` and as suffixes (``/id/norad.ttl``).
_NAMES = {
    **{f.name: f.name for f in (*RESULTS, *PAGES)},
    **{f.suffix: f.name for f in (*RESULTS, *PAGES)},
    "srj": "json",
    "ttl": "turtle",
    "json-ld": "jsonld",
    "ntriples": "nt",
    "n-triples": "nt",
    "rdf": "rdfxml",
    "owl": "rdfxml",
    "htm": "html",
}


def by_name(name: str, choices: tuple[Format, ...]) -> Format | None:
    """The format named ``name`` (``ttl``, ``turtle``, ``csv``...) among ``choices``, if any."""
    wanted = _NAMES.get(name.lower())
    if wanted == "json" and not any(f.name == "json" for f in choices):
        wanted = "jsonld"  # JSON for a graph is JSON-LD
    return next((f for f in choices if f.name == wanted), None)


def _parse_accept(header: str) -> list[tuple[float, int, str]]:
    """``(q, -specificity-order, media type)`` entries of an Accept header, best first."""
    entries = []
    for position, part in enumerate(header.split(",")[:32]):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        entries.append((q, position, media.lower()))
    entries.sort(key=lambda e: (-e[0], e[1]))
    return entries


def negotiate(accept: str | None, choices: tuple[Format, ...]) -> Format | None:
    """The best of ``choices`` for an Accept header; the first choice for none or ``*/*``.

    None when the header rules every choice out (the caller answers 406).
    """
    if not accept:
        return choices[0]
    names = {f.name: f for f in choices}
    for q, _, media in _parse_accept(accept):
        if q <= 0:
            continue
        for choice in choices:
            if choice.media_type == media:
                return choice
        alias = _ALIASES.get(media)
        if alias == "json" and "json" not in names:
            alias = "jsonld"  # JSON for a graph is JSON-LD
        if alias in names:
            return names[alias]
        if media in ("*/*", "*"):
            return choices[0]
        major = media.split("/", 1)[0]
        if media.endswith("/*"):
            for choice in choices:
                if choice.media_type.startswith(major + "/"):
                    return choice
    return None


def split_suffix(name: str, choices: tuple[Format, ...]) -> tuple[str, Format | None]:
    """``norad.ttl`` → ``("norad", turtle)``; a name without a known suffix is left whole."""
    stem, dot, suffix = name.rpartition(".")
    if dot:
        found = by_name(suffix, choices)
        if found is not None:
            return stem, found
    return name, None
