"""HTTP plumbing for ``canus serve``: requests read with limits, form decoding, an answer cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from canus.web._jobs import Reply

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class BadRequest(Exception):
    """A request that gets an error answer (status and message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReplyCache:
    """Answers kept by key, least recently used dropped first, bounded in bytes.

    The graph never changes while the server runs, so an answer stays right; queries calling
    RAND, NOW, UUID, STRUUID or BNODE are never cached.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[Any, Reply] = OrderedDict()

    def get(self, key: Any) -> Reply | None:
        reply = self._items.get(key)
        if reply is not None:
            self._items.move_to_end(key)
        return reply

    def put(self, key: Any, reply: Reply) -> None:
        cost = len(reply.body) + 256
        if reply.status != 200 or cost > self.max_bytes // 8:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old.body) + 256
        self._items[key] = reply
        self.size += cost
        while self.size > self.max_bytes and self._items:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped.body) + 256


def decode_utf8(raw: bytes, what: str) -> str:
    """``raw`` as text; 400 naming the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            400, f"the {what} is not UTF-8: byte 0x{raw[exc.start]:02x} at position {exc.start}"
        ) from None


def parse_form(raw: bytes, what: str) -> dict[str, list[str]]:
    """``a=1&b=2`` (percent-encoded UTF-8) → values by name; 400 if not UTF-8."""
    text = decode_utf8(raw, what)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            400, f"the {what} is not UTF-8 once percent-decoded: {exc.reason}"
        ) from None
    except ValueError as exc:
        raise BadRequest(400, f"bad {what}: {exc}") from None
    form: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, []).append(value)
    return form


class Request:
    """What a handler reads from an ASGI request."""

    def __init__(self, scope: Scope, receive: Receive, max_body: int) -> None:
        self.scope = scope
        self.receive = receive
        self.max_body = max_body
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.raw_query: bytes = scope.get("query_string", b"")
        self.headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
        }

    @property
    def accept(self) -> str | None:
        return self.headers.get("accept")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def params(self) -> dict[str, list[str]]:
        if len(self.raw_query) > self.max_body:
            raise BadRequest(414, f"the query string is longer than {self.max_body} bytes")
        return parse_form(self.raw_query, "query string")

    async def body(self) -> bytes:
        """The request body, refused (413) beyond ``max_body`` bytes."""
        declared = self.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body:
            raise BadRequest(413, f"the request body is larger than {self.max_body} bytes")
        chunks, size = [], 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise BadRequest(400, "the client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise BadRequest(413, f"the request body is larger than {self.max_body} bytes")
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)
