"""Typed errors: each carries the exit code the CLI uses and prints as one line."""

from __future__ import annotations


class CanusError(Exception):
    """Base of every error canus reports to a user; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class InputError(CanusError):
    """The dataset cannot be read: missing folder, unreadable file, syntax error, bad encoding."""

    exit_code = 2


class QueryError(CanusError):
    """A query is unknown, malformed or failed on the endpoint."""

    exit_code = 2


class ParameterError(QueryError):
    """A query parameter is unknown, missing or of the wrong type."""

    exit_code = 2


class OutputError(CanusError):
    """An output could not be written; nothing was left half-written."""

    exit_code = 2


class RemoteError(CanusError):
    """A remote SPARQL endpoint or store refused or failed a request."""

    exit_code = 3
