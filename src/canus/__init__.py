"""canus: the open knowledge graph of Canada-United States security and defence cooperation.

The package is the library behind the ``canus`` command. Heavy modules (rdflib, pyshacl) are
imported only when the function that needs them is called, so ``import canus`` stays fast.

    >>> import canus
    >>> kg = canus.load()                              # ontology/ + data/ as one graph
    >>> rows = canus.query(kg, "agencies-in-program", {"program": "id:ibet"})
    >>> remote = canus.query(canus.Endpoint("http://127.0.0.1:7878/query"), "agencies")
    >>> canus.push(kg, store="http://127.0.0.1:7878/store")   # into a SPARQL store
    >>> report = canus.validate(kg)                    # SHACL report object
    >>> canus.export(kg, "turtle", "canus.ttl")
    >>> canus.build(kg, "dist")                        # release files and static site
"""

from __future__ import annotations

# typing is not imported at run time: `import canus` comes first in every command (see _early)
TYPE_CHECKING = False

__version__ = "0.1.0"

_LAZY = {
    "load": "canus._load",
    "KnowledgeGraph": "canus._load",
    "find_root": "canus._load",
    "validate": "canus._validate",
    "Report": "canus._report",
    "Violation": "canus._report",
    "query": "canus._query",
    "run_sparql": "canus._query",
    "catalog": "canus._query",
    "SavedQuery": "canus._query",
    "QueryResult": "canus._results",
    "export": "canus._export",
    "stats": "canus._stats",
    "CanusError": "canus._errors",
    "InputError": "canus._errors",
    "QueryError": "canus._errors",
    "ParameterError": "canus._errors",
    "OutputError": "canus._errors",
    "RemoteError": "canus._errors",
    "Endpoint": "canus._remote",
    "push": "canus._push",
    "PushResult": "canus._push",
    "build": "canus.site",
    "diff": "canus.site._diff",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from canus._errors import (  # noqa: F401
        CanusError,
        InputError,
        OutputError,
        ParameterError,
        QueryError,
        RemoteError,
    )
    from canus._export import export  # noqa: F401
    from canus._load import KnowledgeGraph, find_root, load  # noqa: F401
    from canus._push import PushResult, push  # noqa: F401
    from canus._query import SavedQuery, catalog, query, run_sparql  # noqa: F401
    from canus._remote import Endpoint  # noqa: F401
    from canus._report import Report, Violation  # noqa: F401
    from canus._results import QueryResult  # noqa: F401
    from canus._stats import stats  # noqa: F401
    from canus._validate import validate  # noqa: F401
    from canus.site import build  # noqa: F401
    from canus.site._diff import diff  # noqa: F401


def __getattr__(name: str) -> Any:
    """Import the public names on first use (PEP 562) to keep start-up light."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'canus' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
