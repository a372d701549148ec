"""Limits on what a caller may send: the size of any request body (an ASGI middleware, so a
2 GB upload or an endless stream costs the server nothing but the refusal), and a count of
failures per client (guessing enrolment codes), kept in the database."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sotay_core.i18n import t
from sotay_core.protocol import ErrorBody
from sync_server.model_base import utcnow
from sync_server.node_models import RateEvent
from sync_server.pages import BodyTooLarge
from sync_server.staff import address_key

log = logging.getLogger("sotay.server")
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


def client_key(host: str) -> str:
    """Whose failures a client's are: its address, an IPv6 one by its /64 (as the staff
    logins count them: one home or PC holds a whole /64)."""
    return address_key(host)[:100]


class RateLimiter:
    """At most ``limit`` failures per key in any 60 s, counted in the database
    (``rate_events``), so every node behind the balancer sees the same count."""

    WINDOW = dt.timedelta(seconds=60)
    # Every this many failures (per process) the old rows of every key go too: failures
    # from countless addresses, each seen once, cannot grow the table without bound.
    SWEEP_EVERY = 100

    def __init__(self, kind: str, limit: int) -> None:
        self.kind = kind
        self.limit = limit
        self._failures = 0

    def blocked(self, session: Session, key: str) -> bool:
        since = utcnow() - self.WINDOW
        count = session.scalar(select(func.count()).select_from(RateEvent).where(
            RateEvent.kind == self.kind, RateEvent.key == client_key(key),
            RateEvent.at > since))
        return int(count or 0) >= self.limit

    def failed(self, session: Session, key: str) -> None:
        now = utcnow()
        key = client_key(key)
        self._failures += 1
        # What no window will count again goes: this key's now, every key's now and then.
        old = [RateEvent.kind == self.kind, RateEvent.at <= now - self.WINDOW]
        if self._failures % self.SWEEP_EVERY:
            old.append(RateEvent.key == key)
        session.execute(delete(RateEvent).where(*old))
        session.add(RateEvent(kind=self.kind, key=key, at=now))


class AuditBudget:
    """How many refused requests (a wrong or revoked token) per client and minute this
    process writes to the admin log: past it they are still refused, only not written, so
    a stranger sending bad tokens as fast as it can does not fill the log and the disk (nor
    take the one SQLite writer a row at a time). A courtesy of one process, like the lost
    files' log: kept in memory, at most ``MAX_CLIENTS`` clients a minute."""

    PER_MINUTE = 20
    MAX_CLIENTS = 10_000

    def __init__(self) -> None:
        self._minute = -1
        self._counts: dict[str, int] = {}

    def allow(self, host: str, now: float | None = None) -> bool:
        minute = int((time.monotonic() if now is None else now) // 60)
        if minute != self._minute:
            self._minute, self._counts = minute, {}
        key = client_key(host)
        seen = self._counts.get(key, 0)
        if not seen and len(self._counts) >= self.MAX_CLIENTS:
            return False
        self._counts[key] = seen + 1
        if seen == self.PER_MINUTE:
            log.warning("refused requests from %s: no more written to the admin log "
                        "this minute", key)
        return seen < self.PER_MINUTE


class BodyLimit:
    """ASGI middleware: no request body past ``limit`` bytes on any route, whether it says its
    length or streams it in chunks. The body is read here (it is at most ``limit``) and handed
    on whole, so the refusal is always the usual ErrorBody with 413, never a parse error."""

    def __init__(self, app: ASGIApp, limit: int, streamed: dict[str, int] | None = None,
                 html_prefix: str = "/province") -> None:
        self.app = app
        self.limit = limit
        # Paths whose bodies may be larger (a published document): passed on as they arrive,
        # counted, and cut with ``pages.BodyTooLarge`` past their own limit.
        self.streamed = streamed or {}
        self.html_prefix = html_prefix

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive,
                       send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        html = path.startswith(self.html_prefix)
        limit = self.streamed.get(path, self.limit)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, html, limit)
            return
        if path in self.streamed:
            await self.app(scope, _counted(receive, limit), send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)  # the client went away
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._refuse(send, html, self.limit)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], then=receive), send)

    async def _refuse(self, send: Send, html: bool, limit: int) -> None:
        if html:
            # Before any routing, without the page's language: always Vietnamese.
            body = t("pages.errors.too_large_page", lang="vi", mb=max(1, limit // 2**20))
            kind = b"text/html; charset=utf-8"
        else:
            body = ErrorBody(code="sync_too_large", params={"limit": limit}).model_dump_json()
            kind = b"application/json"
        data = body.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind),
                                (b"content-length", str(len(data)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": data})


def _counted(receive: Receive, limit: int) -> Receive:
    size = 0

    async def counting() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise BodyTooLarge()
        return message

    return counting


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()  # after the body: wait for a disconnect, as the app expects
        return {"type": "http.disconnect"}

    return receive
