"""Offline bundles on the desktop: pending changes to a file, and the answer back.

The request bundle is the same ``SyncRequest`` an online sync would send, signed
with the device's bundle key; the answer is applied by ``pull`` like an
online answer, so a bundle imported twice, or after an online sync, changes
nothing (rows are taken only when newer, acknowledgements are idempotent).
"""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

from pydantic import ValidationError

from sotay_core.domain.errors import DomainError
from sotay_core.protocol import (
    MAX_BODY_BYTES,
    Bundle,
    SyncRequest,
    SyncResponse,
    bundle_key,
    bundle_signed_by,
    gunzip,
    sign_bundle,
)
from sotay_desktop.db.engine import Database
from sotay_desktop.security import credentials
from sotay_desktop.services.sync import pull, push
from sotay_desktop.services.sync.account import account
from sotay_desktop.services.sync.pull import Applied


def _key(db: Database) -> tuple[str, str]:
    with db.reads() as session:
        acct = account(session)
        if acct is None:
            raise DomainError("sync_not_enrolled")
        token = credentials.load_token(session, acct.device_id)
    if not token:
        raise DomainError("sync_no_credential")
    return acct.device_id, bundle_key(token)


def export_bundle(db: Database, path: Path) -> int:
    """Write every pending change (up to one request's worth) to ``path``; returns the count."""
    from sotay_desktop.services.sync.client import keep_reports_in_step

    device_id, key = _key(db)
    keep_reports_in_step(db)
    with db.reads() as session:
        request = push.build_request(session)
    body = request.model_dump_json()
    bundle = Bundle(kind="request", device_id=device_id,
                    created_at=dt.datetime.now(dt.UTC).isoformat(), body=body,
                    mac=sign_bundle(key, body))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(bundle.model_dump_json().encode("utf-8"), mtime=0))
    tmp.replace(path)
    return len(request.mutations)


def read_answer(path: Path, device_id: str, key: str) -> tuple[SyncRequest, SyncResponse]:
    try:
        raw = path.read_bytes()
        # Capped, and refused when cut, corrupt (CRC) or followed by junk (``gunzip``).
        text = gunzip(raw, MAX_BODY_BYTES * 8)
        bundle = Bundle.model_validate_json(text)
    except (OSError, ValueError, ValidationError) as exc:
        raise DomainError("bundle_bad", detail=str(exc)[:200]) from None
    if bundle.kind != "answer":
        raise DomainError("bundle_wrong_kind")
    if bundle.device_id != device_id or not bundle_signed_by(key, bundle):
        raise DomainError("bundle_bad_signature")
    try:
        response = SyncResponse.model_validate_json(bundle.body)
    except ValidationError as exc:
        raise DomainError("bundle_bad", detail=str(exc)[:200]) from None
    return SyncRequest(protocol=response.protocol, schema_version=""), response


def import_bundle(db: Database, path: Path) -> Applied:
    device_id, key = _key(db)
    _empty, response = read_answer(path, device_id, key)
    with db.sessions.begin() as session:
        # The answer acknowledges by id: the outbox rows it covers are the ones sent.
        request = push.build_request(session)
        return pull.apply_response(session, request, response)
