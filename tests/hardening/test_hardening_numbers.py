"""Issue 17, part 5, on SQLite and PostgreSQL: every integer a client sends is bounded by the
schema; absurd ones answer 422, never 500 (a cursor of 2^63 overflowed BIGINT on PostgreSQL
and SQLite's INTEGER); absurd upload offsets and Range headers never crash the file routes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import MAX_COUNTER, PROTOCOL_VERSION
from sync_server import admin
from tests.hardening.support import HEAD, HUGE, member, sync, sync_request


@pytest.mark.parametrize("value", HUGE)
def test_an_absurd_cursor_is_refused_by_the_schema_not_a_500(env, value: int) -> None:
    r = sync(env, sync_request(env, cursors={env["branch"]: value}))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "sync_bad_payload" and "cursors" in r.json()["detail"]


def test_the_largest_counter_is_still_a_cursor(env) -> None:
    r = sync(env, sync_request(env, cursors={env["branch"]: MAX_COUNTER}))
    assert r.status_code == 200, r.text
    assert r.json()["changes"] == [] and r.json()["cursors"] == {env["branch"]: MAX_COUNTER}


@pytest.mark.parametrize("field,value", [
    ("page_bytes", 10**30), ("page_bytes", 2**63), ("page_bytes", -1),
    ("protocol", 10**30), ("protocol", 2**63), ("protocol", -1),
])
def test_absurd_request_numbers_are_422(env, field: str, value: int) -> None:
    r = sync(env, sync_request(env, **{field: value}))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "sync_bad_payload"


def test_a_protocol_outside_the_window_is_still_an_upgrade_not_a_422(env) -> None:
    r = sync(env, sync_request(env, protocol=PROTOCOL_VERSION + 1))
    assert r.status_code == 409 and r.json()["code"] == "sync_upgrade_required"


@pytest.mark.parametrize("field", ["id", "base_version"])
@pytest.mark.parametrize("value", HUGE)
def test_absurd_mutation_counters_are_422_and_change_nothing(env, field: str, value: int
                                                              ) -> None:
    r = sync(env, sync_request(env, mutations=[member(env, **{field: value})]))
    assert r.status_code == 422, r.text
    after = sync(env, sync_request(env)).json()
    assert after["last_mutation_id"] == 0
    assert not [c for c in after["changes"] if c["entity"] == "members"]


def test_a_mutation_id_at_the_bound_is_applied(env) -> None:
    r = env["client"].post("/api/v1/enroll", json={"code": env["codes"][1],
                                                   "mutation_floor": MAX_COUNTER - 1})
    assert r.status_code == 200, r.text
    env = env | {"token": r.json()["token"]}
    r = sync(env, sync_request(env, mutations=[member(env, mid=MAX_COUNTER)]))
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "applied"
    assert r.json()["last_mutation_id"] == MAX_COUNTER


@pytest.mark.parametrize("value", [2**53, 2**63, 10**30, -(2**63)])
def test_absurd_integers_inside_fields_are_rejected_per_mutation(env, value: int) -> None:
    """Integers inside ``fields`` are the record rules' business: refused with a reason, the
    request itself answered."""
    meeting = new_id()
    muts = [
        {"id": 1, "entity": "meetings", "row_id": meeting, "op": "create",
         "base_version": 0, "schema_version": HEAD,
         "fields": {"unit_id": env["branch"], "kind": "monthly", "title": "Sinh hoạt",
                    "date": "2026-11-05"}},
        {"id": 2, "entity": "minutes", "row_id": new_id(), "op": "create",
         "base_version": 0, "schema_version": HEAD,
         "fields": {"meeting_id": meeting, "body": "x", "votes_for": value}},
    ]
    r = sync(env, sync_request(env, mutations=muts))
    assert r.status_code == 200, r.text
    assert r.json()["results"][1]["status"] == "rejected"


@pytest.mark.parametrize("value", [2**63, 10**30, -(2**63)])
def test_an_absurd_mutation_floor_at_enrolment_is_422(env, value: int) -> None:
    r = env["client"].post("/api/v1/enroll", json={"code": env["codes"][0],
                                                   "mutation_floor": value})
    assert r.status_code == 422, r.text
    # the code was not spent by the refused request
    r = env["client"].post("/api/v1/enroll", json={"code": env["codes"][0],
                                                   "mutation_floor": MAX_COUNTER})
    assert r.status_code == 200, r.text


def _published(env: dict[str, Any], data: bytes) -> str:
    """A file published to the branch: readable by its device under any grant model."""
    source = env["tmp"] / "cv.pdf"
    source.write_bytes(data)
    with Session(env["app"].state.engine) as s, s.begin():
        return admin.publish(s, env["tmp"] / "files", source, to_unit=env["branch"],
                             title="Công văn").sha256


@pytest.mark.parametrize("offset", ["9223372036854775808", str(10**30), "-1", "1e3", "0x10"])
def test_an_absurd_upload_offset_is_422(env, offset: str) -> None:
    sha = hashlib.sha256(b"abc").hexdigest()
    r = env["client"].put(f"/api/v1/uploads/{sha}?offset={offset}", content=b"abc",
                          headers={"Authorization": f"Bearer {env['token']}"})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "sync_bad_payload"


@pytest.mark.parametrize("header", [
    f"bytes={2**63}-", f"bytes=0-{10**30}", f"bytes={10**30}-{10**31}", "bytes=-" + "9" * 40,
    "bytes=" + "9" * 5000 + "-", "bytes=5-2", "bytes=-0", "bytes=a-b", "bits=0-1",
    "bytes=" + ",".join(["0-1"] * 500),
])
def test_absurd_range_headers_never_crash_the_file_route(env, header: str) -> None:
    data = b"%PDF-1.4 " + b"x" * 1000
    sha = _published(env, data)
    r = env["client"].get(f"/api/v1/files/{sha}", headers={
        "Authorization": f"Bearer {env['token']}", "Range": header})
    # A Range not understood is ignored (the
    # whole file); one past the end is 416 with an ErrorBody; never a 5xx nor a bare 400.
    assert r.status_code in (200, 416), (r.status_code, r.text[:200])
    if r.status_code == 200:
        assert r.content == data
    else:
        assert r.json()["code"] == "sync_range_not_satisfiable"
        assert r.headers["content-range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("header,status,part", [
    ("bytes=0-", 206, slice(None)), ("bytes=9-", 206, slice(9, None)),
    ("bytes=2-4", 206, slice(2, 5)), ("bytes=-3", 206, slice(-3, None)),
    ("bytes=1009-", 416, None), (f"bytes={2**63}-", 416, None),
])
def test_ordinary_ranges_still_work(env, header: str, status: int, part: slice | None
                                    ) -> None:
    data = b"%PDF-1.4 " + b"x" * 1000
    sha = _published(env, data)
    r = env["client"].get(f"/api/v1/files/{sha}", headers={
        "Authorization": f"Bearer {env['token']}", "Range": header})
    assert r.status_code == status, r.text[:200]
    if part is not None:
        assert r.content == data[part]
