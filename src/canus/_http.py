"""HTTP to SPARQL stores: credentials, timeouts, retries, and one line for every failure.

Credentials come from ``CANUS_USER``/``CANUS_PASSWORD`` or from ``~/.netrc`` (``$NETRC``); they
are offered only when the server asks (HTTP 401), with the scheme it asks for (basic or
digest), and never appear in a message. Connection errors and 5xx answers are retried with
backoff; a timeout is not (the server may still be working on the request).
"""

from __future__ import annotations

import base64
import netrc
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from canus._errors import InputError, RemoteError

#: Statuses worth another try: the server (or a proxy in front of it) failed, not the request.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
_CHUNK = 1 << 16
#: Bodies larger than this are sent only after an empty request has learnt the login needed.
_PROBE_ABOVE = 1 << 16


@dataclass(frozen=True)
class Retry:
    """How often to try again: ``attempts`` tries in all, waiting ``backoff`` seconds before the
    second and twice as long before each next one."""

    attempts: int = 3
    backoff: float = 0.5


@dataclass(frozen=True)
class Answer:
    """A successful HTTP answer: status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


def public_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, fit to show in a message."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(url: str, what: str) -> str:
    """``url`` if it is an http(s) URL; InputError (exit 2) otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{what} {public_url(url)!r}: give an http:// or https:// URL")
    return url


def credentials(url: str) -> tuple[str, str] | None:
    """The user and password for ``url``: ``CANUS_USER``/``CANUS_PASSWORD``, else the host's
    entry in ``~/.netrc`` (or the file ``$NETRC`` names), else None."""
    user = os.environ.get("CANUS_USER")
    if user:
        return user, os.environ.get("CANUS_PASSWORD", "")
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError):
        return None
    if entry is None:
        return None
    login, _, password = entry
    return (login or "", password or "") if login else None


class Client:
    """Requests to one store, with its credentials, a timeout per request and retries; the
    login a store asked for is remembered per origin, so later requests go out signed."""

    def __init__(
        self,
        timeout: float,
        retry: Retry | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.retry = retry or Retry()
        self._sleep = sleep
        self._logins: dict[str, _Login] = {}
        self._probed: set[str] = set()

    def derive(self, *, timeout: float | None = None, retry: Retry | None = None) -> Client:
        """A client with another timeout or retry policy that shares this one's logins."""
        other = Client(timeout or self.timeout, retry or self.retry, sleep=self._sleep)
        other._logins = self._logins
        other._probed = self._probed
        return other

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        *,
        what: str = "SPARQL endpoint",
        on_sent: Callable[[int], None] | None = None,
        shown: str | None = None,
    ) -> Answer:
        """Send one request (retried on connection errors and 5xx); RemoteError on failure.

        ``what`` names the kind of URL in messages ("SPARQL query endpoint", "Graph Store"...),
        so that a 404 says which URL was expected.

        ``on_sent(bytes)`` is told how much of ``body`` has gone out (for a progress bar);
        messages name ``shown`` (the URL the user gave), or else ``url``."""
        shown = public_url(shown or url)
        wait = self.retry.backoff
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                return self._send(method, url, body, headers or {}, on_sent)
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUSES and not last:
                    exc.close()
                else:
                    raise RemoteError(_http_message(shown, exc, what, url, method)) from None
            except TimeoutError:
                raise self.timed_out(shown) from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError):
                    raise self.timed_out(shown) from None
                if last:
                    raise RemoteError(_unreachable(shown, exc.reason, method, body)) from None
            except (ConnectionError, OSError) as exc:  # reset or dropped mid-answer
                if last:
                    raise RemoteError(f"{shown}: connection lost: {_reason(exc)}") from None
            self._sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def timed_out(self, shown: str) -> RemoteError:
        """The one message for a store that did not answer in time."""
        return RemoteError(
            f"{shown}: no answer within {self.timeout:g} s (use --timeout to wait longer)"
        )

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        on_sent: Callable[[int], None] | None,
    ) -> Answer:
        origin = _origin(url)
        login = self._logins.get(origin)
        large = body is not None and len(body) > _PROBE_ABOVE
        if login is None and large and origin not in self._probed:
            # A store that wants a login may answer 401 and close before a large body is in:
            # ask first (once) with an empty request, so the body goes out once, signed.
            login = self._probe(url)
            self._probed.add(origin)
        request = _request(method, url, body, headers, on_sent, login)
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            if exc.code != 401:
                raise
            fresh = self._login(url, exc, login)
            if fresh is None:
                raise
            exc.close()
            request = _request(method, url, body, headers, on_sent, fresh)
            response = urllib.request.urlopen(request, timeout=self.timeout)
        with response:
            data = response.read()
            media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            return Answer(response.status, media, data)

    def _probe(self, url: str) -> _Login | None:
        """HEAD ``url``: the login its 401 asks for (HTTPError if there is none to give)."""
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, method="HEAD"), timeout=self.timeout
            ):
                return None
        except urllib.error.HTTPError as exc:
            if exc.code != 401:
                exc.close()
                return None
            login = self._login(url, exc, None)
            if login is None:
                raise
            exc.close()
        # A store that refuses the login may also close before the body is in: try it first.
        signed = _request("HEAD", url, None, {}, None, login)
        try:
            with urllib.request.urlopen(signed, timeout=self.timeout):
                return login
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                raise
            exc.close()
            return login

    def _login(self, url: str, exc: urllib.error.HTTPError, used: _Login | None) -> _Login | None:
        """The login that answers this 401's challenge (basic or digest), remembered for the
        origin; None when there are no credentials, or the ones sent were refused."""
        challenge = (exc.headers.get("WWW-Authenticate") or "").strip()
        if used is not None and 'stale="true"' not in challenge.lower().replace(" ", ""):
            return None  # the user and password were refused, not just an old nonce
        found = credentials(url)
        if found is None:
            return None
        login = _Login.answer(challenge, url, *found)
        if login is not None:
            self._logins[_origin(url)] = login
        return login


class _Login:
    """Credentials and the scheme a store asked for: the Authorization header of a request."""

    def __init__(self, scheme: str, url: str, user: str, password: str, params: dict) -> None:
        self.scheme = scheme
        self._basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._params = params
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, _origin(url), user, password)
        self._digest = urllib.request.HTTPDigestAuthHandler(manager)

    @classmethod
    def answer(cls, challenge: str, url: str, user: str, password: str) -> _Login | None:
        """A login for a ``Basic`` or ``Digest`` challenge; None for another scheme."""
        scheme, _, rest = challenge.partition(" ")
        scheme = scheme.lower()
        if scheme not in ("basic", "digest"):
            return None
        params = urllib.request.parse_keqv_list(
            [item for item in urllib.request.parse_http_list(rest) if "=" in item]
        )
        return cls(scheme, url, user, password, params)

    def header(self, request: urllib.request.Request) -> str | None:
        """The value of the Authorization header for ``request``."""
        if self.scheme == "basic":
            return f"Basic {self._basic}"
        signed = self._digest.get_authorization(request, self._params)
        return f"Digest {signed}" if signed else None


def _request(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    on_sent: Callable[[int], None] | None,
    login: _Login | None,
) -> urllib.request.Request:
    """A request, signed by ``login``; its body goes out in chunks counted by ``on_sent``."""
    data: bytes | Iterator[bytes] | None = body
    if body is not None and on_sent is not None:

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), _CHUNK):
                yield body[start : start + _CHUNK]
                on_sent(min(start + _CHUNK, len(body)))

        data = chunks()
        headers = {**headers, "Content-Length": str(len(body))}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    if login is not None:
        value = login.header(request)
        if value:
            request.add_unredirected_header("Authorization", value)
    return request


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/"


def _unreachable(shown: str, reason: object, method: str, body: bytes | None) -> str:
    """No answer: the host refused or could not be reached, or it hung up mid-request."""
    if isinstance(reason, (BrokenPipeError, ConnectionResetError)) and body:
        return (
            f"{shown}: connection lost while sending the data ({_reason(reason)}): the server"
            f" may not accept {method} here, or a login, or this much data"
        )
    return f"{shown}: cannot connect: {_reason(reason)}"


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _http_message(shown: str, exc: urllib.error.HTTPError, what: str, url: str, method: str) -> str:
    """One line for a refused request: what the status means here, then the server's word."""
    detail = _first_line(exc)
    code = exc.code
    if code == 401:
        if credentials(url) is None:
            return (
                f"{shown}: HTTP 401: the store asks for a user and password: set CANUS_USER and"
                " CANUS_PASSWORD, or add the host to ~/.netrc"
            )
        return (
            f"{shown}: HTTP 401: the store refused the user and password (CANUS_USER or ~/.netrc)"
        )
    if code == 403:
        return f"{shown}: HTTP 403: the store refused this for this user" + _tail(detail)
    if code == 404:
        return f"{shown}: HTTP 404: not found: is this the URL of the store's {what}?"
    if code in (405, 501):
        return f"{shown}: HTTP {code}: not a {what}: it does not accept {method}"
    if code == 415:
        return f"{shown}: HTTP 415: the store does not accept this media type" + _tail(detail)
    return f"{shown}: HTTP {code}" + _tail(detail or exc.reason)


def _tail(detail: str) -> str:
    return f": {detail}" if detail else ""


def _first_line(exc: urllib.error.HTTPError) -> str:
    """The first informative line of an error body (HTML tags and Virtuoso's echo dropped)."""
    try:
        raw = exc.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    text = re.sub(r"<(title|h1|style|script)[^>]*>.*?</\1>", " ", raw, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", "\n", text)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not line.lower().startswith(("<!doctype", "sparql query:")):
            return line[:300]
    return ""
