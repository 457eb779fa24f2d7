"""The OpenAPI 3 description of the saved queries served at ``/api/<name>``."""

from __future__ import annotations

from canus import __version__
from canus._query import SavedQuery

_SCHEMAS = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
    "boolean": {"type": "boolean"},
}


def openapi(queries: list[SavedQuery]) -> dict:
    """One GET operation per saved query, its parameters typed, JSON or CSV answers."""
    paths = {}
    for saved in queries:
        parameters = []
        for p in saved.params:
            schema = dict(_SCHEMAS.get(p.type, {"type": "string"}))
            if p.default is not None:
                schema["default"] = p.default
            description = p.description or f"{p.type}" + (
                " (an IRI, or id:slug)" if p.type == "iri" else ""
            )
            parameters.append(
                {
                    "name": p.name,
                    "in": "query",
                    "required": p.default is None,
                    "description": description,
                    "schema": schema,
                }
            )
        paths[f"/api/{saved.name}"] = {
            "get": {
                "operationId": saved.name.replace("-", "_"),
                "summary": saved.title,
                "description": saved.description,
                "tags": saved.tags,
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "The rows (also as /api/NAME.json or /api/NAME.csv).",
                        "content": {
                            "application/sparql-results+json": {"schema": {"type": "object"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "400": {"description": "A parameter is unknown, missing or of the wrong type."},
                    "503": {"description": "The query ran past the time limit."},
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "canus saved queries",
            "version": __version__,
            "description": "The saved SPARQL queries of the canus knowledge graph, each a GET "
            "operation; parameters are typed and bound as RDF terms, as in `canus query`.",
        },
        "paths": paths,
    }
