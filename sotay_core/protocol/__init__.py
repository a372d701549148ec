"""The sync wire format, defined once for client and server (pydantic only).

One request per normal sync: ``POST /api/v1/sync`` carries the device's
outbox mutations (push) and its cursor (pull); the answer carries the result of
each mutation and the changes after the cursor, a page at a time. Bodies are
JSON, gzip-compressed both ways. Files travel apart, by SHA-256
(``/api/v1/files/{sha256}`` with HTTP Range; uploads in parts). An offline
bundle is the same request and answer written to a file.

Versioning: every request names ``protocol`` and ``schema_version``; a server
outside its window answers 409 with ``code = "upgrade_required"`` and the
client keeps its outbox. Field types and write rules: ``protocol.entities``.
"""

from __future__ import annotations

import hashlib
import hmac
import zlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MIN_PROTOCOL_VERSION = 1
# Desktop schema revisions (sotay_desktop/db/schema_version.py) the server accepts.
SCHEMA_VERSIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006",
                                     "0007", "0008")

ROUTE_HEALTH = "/healthz"
ROUTE_INFO = "/api/v1/info"
ROUTE_ENROLL = "/api/v1/enroll"
ROUTE_SYNC = "/api/v1/sync"
ROUTE_FILES = "/api/v1/files"      # GET/HEAD /api/v1/files/{sha256}
ROUTE_UPLOADS = "/api/v1/uploads"  # HEAD, PUT ?offset=N, POST …/commit

MAX_MUTATIONS = 500            # per request; the client sends more in further requests
MAX_BODY_BYTES = 8 * 2**20     # a sync body after decompression
MAX_WIRE_BYTES = 2 * 2**20     # a sync body as sent (compressed)
UPLOAD_PART_BYTES = 256 * 1024
MAX_FILE_BYTES = 100 * 2**20
# Uncompressed change JSON per answer (~300–400 KB gzip): a branch's first sync in 1–2
# requests; a cut loses at most one page, which is applied atomically or not at all.
DEFAULT_PAGE_BYTES = 2 * 2**20
# The largest counter (mutation id, version, cursor) a request may carry: exact as a JSON
# number in any language (2^53 - 1) and far inside SQL BIGINT (2^63 - 1), so a cursor of
# 2^63 or 10^30 is refused by the schema (422) before it reaches a query. A branch making a
# million changes a day needs 24 million years to reach it.
MAX_COUNTER = 2**53 - 1
Counter = Annotated[int, Field(ge=0, le=MAX_COUNTER)]
ScopeId = Annotated[str, Field(max_length=64)]

Op = Literal["create", "update", "add", "resolve"]
ResultStatus = Literal["applied", "merged", "conflict", "rejected", "duplicate"]


class GzipRefused(ValueError):
    """A gzip body that is not exactly one whole, intact gzip stream."""


class GzipTooLarge(GzipRefused):
    """A gzip body that inflates past its cap (a bomb, or simply too much)."""


def gunzip(raw: bytes, limit: int) -> bytes:
    """Inflate one gzip stream, at most ``limit`` bytes of output (the rest is never made).

    Refused: a corrupt stream or a wrong CRC/length trailer (``zlib.error``), a stream cut
    before its trailer (``eof`` never reached) and anything after the stream's end (junk,
    or a second member: our writers make one), so a damaged body is never half-used.
    """
    inflater = zlib.decompressobj(wbits=31)
    try:
        body = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise GzipRefused(f"gzip: {exc}") from None
    if len(body) > limit or inflater.unconsumed_tail:
        raise GzipTooLarge(f"gzip: inflates past {limit} bytes")
    if not inflater.eof:
        raise GzipRefused("gzip: the stream is cut before its end")
    if inflater.unused_data:
        raise GzipRefused(f"gzip: {len(inflater.unused_data)} bytes after the stream")
    return body


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerInfo(_Strict):
    protocol_version: int
    min_protocol_version: int
    server_time: str
    database: str  # "sqlite" or "postgresql"


class Mutation(_Strict):
    """One outbox row. ``fields``: for create/add the whole row; for update
    {field: [old, new]}; for resolve {"keep": "current"|"proposed"}."""

    id: int = Field(ge=1, le=MAX_COUNTER)
    entity: str = Field(max_length=32)
    row_id: str = Field(min_length=1, max_length=36)
    op: Op
    base_version: Counter
    fields: dict[str, Any]
    schema_version: str = Field(max_length=16)


class SyncRequest(_Strict):
    # A version outside the server's window answers 409 (upgrade); only absurd numbers 422.
    protocol: int = Field(ge=0, le=2**31 - 1)
    schema_version: str = Field(max_length=16)
    mutations: list[Mutation] = Field(default_factory=list, max_length=MAX_MUTATIONS)
    cursors: dict[ScopeId, Counter] = Field(default_factory=dict, max_length=64)
    page_bytes: int = Field(default=DEFAULT_PAGE_BYTES, ge=4096, le=4 * 2**20)
    pull: bool = True
    # Encodings of the pulled changes this client reads besides the plain list (``columns``
    # module: "columns1"); unknown names are ignored, so a newer client still gets an answer.
    encodings: list[Annotated[str, Field(max_length=16)]] = Field(default_factory=list,
                                                                    max_length=8)


class Change(_Strict):
    entity: str
    id: str
    version: int
    deleted: bool = False
    data: dict[str, Any]


class MutationResult(_Strict):
    id: int
    status: ResultStatus
    version: int | None = None
    reason: str | None = None          # an i18n code, for "rejected"
    conflicts: list[str] = Field(default_factory=list)  # ids of conflict records made
    current: Change | None = None      # the server's row after a rejection, to restore


class SyncResponse(_Strict):
    protocol: int
    server_time: str
    unit_id: str
    # The highest mutation id the server holds for this device (None before the first push).
    last_mutation_id: int | None
    results: list[MutationResult]
    changes: list[Change]
    cursors: dict[str, int]
    has_more: bool
    # The changes in an encoding the client asked for (then ``changes`` is empty); left out
    # of the JSON when None, so a client that did not ask never sees the key.
    columns: dict[str, Any] | None = Field(default=None, exclude_if=lambda v: v is None)


class EnrollRequest(_Strict):
    code: str = Field(min_length=4, max_length=32)
    label: str = Field(default="", max_length=120)
    protocol: int = Field(default=PROTOCOL_VERSION, ge=0, le=2**31 - 1)
    # The highest outbox id this PC ever used: its first push starts right after it.
    mutation_floor: Counter = 0


class EnrollResponse(_Strict):
    device_id: str
    token: str
    unit_id: str
    unit_name: str
    server_time: str


class ErrorBody(_Strict):
    """Every refusal: a stable ``code`` (translated on the desktop) and an English detail."""

    code: str
    detail: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class Bundle(_Strict):
    """An offline bundle: a sync request or answer on a USB stick, signed with the device key."""

    kind: Literal["request", "answer"]
    device_id: str
    created_at: str
    body: str   # the SyncRequest or SyncResponse JSON
    mac: str    # hex HMAC-SHA256 of body with the device's bundle key


def bundle_key(token: str) -> str:
    """The key a device signs its offline bundles with, derived from its token's secret part
    (the server derives the same at enrolment and keeps it, not the token)."""
    secret = token.split(".", 1)[1] if "." in token else token
    return hmac.new(secret.encode(), b"sotay-bundle", hashlib.sha256).hexdigest()


def sign_bundle(key: str, body: str) -> str:
    return hmac.new(key.encode(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def bundle_signed_by(key: str, bundle: Bundle) -> bool:
    return hmac.compare_digest(sign_bundle(key, bundle.body), bundle.mac)
