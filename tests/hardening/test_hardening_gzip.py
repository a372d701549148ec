"""Issue 17, part 5: a gzip body cut before its trailer, with a wrong CRC or with junk after it
is refused, on the sync route (SQLite and PostgreSQL) and in offline bundles (server and PC).
"""

from __future__ import annotations

import gzip
import json
import struct
from pathlib import Path

import pytest

from sotay_core.protocol import MAX_BODY_BYTES, GzipRefused, GzipTooLarge, gunzip
from sync_server import admin
from tests.hardening.support import member, sync, sync_request


def _damaged(body: bytes) -> dict[str, bytes]:
    good = gzip.compress(body, mtime=0)
    crc, size = struct.unpack("<II", good[-8:])
    return {
        "trailer cut": good[:-8],
        "trailer half cut": good[:-3],
        "stream cut": good[: len(good) // 2],
        "wrong crc": good[:-8] + struct.pack("<II", crc ^ 1, size),
        "wrong length": good[:-8] + struct.pack("<II", crc, size + 1),
        "junk after": good + b"junk",
        "zeros after": good + b"\0" * 16,
        "second member": good + gzip.compress(b" ", mtime=0),
        "empty": b"",
        "header only": good[:10],
    }


@pytest.mark.parametrize("case", list(_damaged(b"{}")))
def test_a_damaged_gzip_sync_body_is_refused(env, case: str) -> None:
    body = json.dumps(sync_request(env, mutations=[member(env)])).encode()
    bad = _damaged(body)[case]
    r = sync(env, bad, **{"Content-Encoding": "gzip"})
    assert r.status_code == 400, (case, r.status_code, r.text)
    assert r.json()["code"] == "sync_bad_payload"
    # nothing of it was applied; the intact body is
    assert sync(env, sync_request(env)).json()["last_mutation_id"] == 0
    r = sync(env, gzip.compress(body, mtime=0), **{"Content-Encoding": "gzip"})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied"


def test_a_gzip_bomb_is_still_refused_as_too_large(env) -> None:
    bomb = gzip.compress(b"{" + b" " * (64 * 2**20))
    r = sync(env, bomb, **{"Content-Encoding": "gzip"})
    assert r.status_code == 413 and r.json()["code"] == "sync_too_large"
    # exactly the limit passes the inflater (and is then refused as JSON: 422, not 413)
    at_limit = gzip.compress(b"{" + b" " * (MAX_BODY_BYTES - 1))
    r = sync(env, at_limit, **{"Content-Encoding": "gzip"})
    assert r.status_code == 422


def test_gunzip_itself() -> None:
    assert gunzip(gzip.compress(b"hello"), 5) == b"hello"
    with pytest.raises(GzipTooLarge):
        gunzip(gzip.compress(b"hello!"), 5)
    for case, bad in _damaged(b"hello world " * 100).items():
        with pytest.raises(GzipRefused):
            gunzip(bad, 10**6)
            pytest.fail(case)


def test_damaged_offline_bundles_are_refused_on_server_and_pc(tmp_path: Path) -> None:
    from sotay_core.domain.errors import DomainError
    from sotay_core.protocol import Bundle
    from sotay_desktop.services.sync.bundles import read_answer
    from sync_server.bundles import read_bundle

    bundle = Bundle(kind="answer", device_id="d", created_at="2026-12-07T00:00:00+00:00",
                    body="{}", mac="0" * 64)
    path = tmp_path / "b.sotay"
    for case, bad in _damaged(bundle.model_dump_json().encode()).items():
        path.write_bytes(bad)
        with pytest.raises(admin.AdminError) as server_side:
            read_bundle(path)
        assert server_side.value.code == "bundle_bad", case
        with pytest.raises(DomainError) as pc_side:
            read_answer(path, "d", "key")
        assert pc_side.value.code == "bundle_bad", case
    # the intact file is read on both sides (then refused for its signature on the PC)
    path.write_bytes(gzip.compress(bundle.model_dump_json().encode(), mtime=0))
    assert read_bundle(path) == bundle
    with pytest.raises(DomainError) as signed:
        read_answer(path, "d", "key")
    assert signed.value.code == "bundle_bad_signature"
