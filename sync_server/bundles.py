"""Offline bundles: a device's sync request carried on a USB stick, and the answer.

The bundle is signed with the device's bundle key (an HMAC of the token's
secret, known to the server since enrolment), so a bundle cannot be forged for
another branch or altered on the way. The same ``sync.handle`` applies it, so
idempotency and conflicts follow the online rules exactly; the answer holds
every change after the request's cursor (all pages).
"""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from sotay_core.protocol import (
    MAX_BODY_BYTES,
    MAX_WIRE_BYTES,
    SCHEMA_VERSIONS,
    Bundle,
    SyncRequest,
    SyncResponse,
    bundle_signed_by,
    gunzip,
    sign_bundle,
)
from sync_server import sync
from sync_server.admin import AdminError
from sync_server.models import Device


def read_bundle(path: Path) -> Bundle:
    """Parse a bundle file (gzip JSON), refusing anything malformed or oversized."""
    raw = path.read_bytes()[: MAX_WIRE_BYTES * 8 + 1]
    if len(raw) > MAX_WIRE_BYTES * 8:
        raise AdminError("bundle_bad", detail="too large")
    try:
        # Inflated with a cap: a small file that inflates to gigabytes (a gzip bomb) costs
        # at most the cap before it is refused.
        # A cut file, a wrong CRC or junk after the stream is refused too (``gunzip``).
        body = gunzip(raw, MAX_BODY_BYTES * 8)
        return Bundle.model_validate_json(body.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError, ValidationError) as exc:
        raise AdminError("bundle_bad", detail=str(exc)[:200]) from None


def write_bundle(path: Path, bundle: Bundle) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(bundle.model_dump_json().encode("utf-8"), mtime=0))
    tmp.replace(path)


@dataclass(frozen=True)
class ImportSummary:
    mutations: int
    changes: int


def import_request(session: Session, path: Path, output: Path) -> ImportSummary:
    bundle = read_bundle(path)
    if bundle.kind != "request":
        raise AdminError("bundle_wrong_kind")
    device = session.get(Device, bundle.device_id)
    if device is None or device.bundle_key is None:
        raise AdminError("bundle_unknown_device")
    if not bundle_signed_by(device.bundle_key, bundle):
        raise AdminError("bundle_bad_signature")
    if device.revoked_at is not None:
        raise AdminError("sync_device_revoked")
    try:
        # An answer on a USB stick is always the plain list (what every PC reads).
        request = SyncRequest.model_validate_json(bundle.body).model_copy(
            update={"encodings": []})
    except ValidationError as exc:
        raise AdminError("bundle_bad", detail=str(exc)[:200]) from None
    if request.schema_version not in SCHEMA_VERSIONS:
        raise AdminError("sync_upgrade_required")
    answer = sync.handle(session, device, request)
    changes = list(answer.changes)
    cursors = answer.cursors
    has_more = answer.has_more
    while has_more:
        more = sync.handle(session, device, SyncRequest(
            protocol=request.protocol, schema_version=request.schema_version,
            cursors=cursors, page_bytes=4 * 2**20))
        changes.extend(more.changes)
        cursors, has_more = more.cursors, more.has_more
    full = SyncResponse(**(answer.model_dump() | {
        "changes": [c.model_dump() for c in changes], "cursors": cursors, "has_more": False}))
    body = full.model_dump_json()
    write_bundle(output, Bundle(kind="answer", device_id=device.id,
                                created_at=dt.datetime.now(dt.UTC).isoformat(), body=body,
                                mac=sign_bundle(device.bundle_key, body)))
    return ImportSummary(len(request.mutations), len(changes))
