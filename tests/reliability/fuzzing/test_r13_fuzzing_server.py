"""R13 on the server's side: the sync push (structured, aimed at the record rules, damaged
bytes) and the province pages' forms, with random input (see __init__.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sotay_core.domain import record_rules
from sotay_core.domain.record_rules import is_known_reason
from sotay_core.protocol import PROTOCOL_VERSION
from sotay_core.protocol.entities import ENTITIES
from tests.reliability.fuzzing.strategies import FUZZ, HEAD, count_input, flip, mutations

pytestmark = pytest.mark.slow  # fuzzing: `make check` leaves it out


# --- the server's sync decoder and push ---------------------------------------------------


@contextmanager
def _server(tmp: Path, **settings: Any) -> Iterator[tuple[Any, Any, Any, str]]:
    """An app on SQLite with a province and one branch: (app, client, session, branch id);
    the session is open in a transaction for the caller's set-up, committed on leaving."""
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from sync_server import admin
    from sync_server.app import create_app
    from sync_server.settings import ServerSettings

    app = create_app(ServerSettings(db=f"sqlite:///{tmp / 's.db'}", files_dir=str(tmp / "f"),
                                    **settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            b = admin.add_unit(s, name="Chi bộ", level="branch", parent_id=p.id)
            yield app, client, s, b.id


@pytest.fixture(scope="module")
def server_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from sync_server import admin

    with _server(tmp_path_factory.mktemp("r13-srv"), enroll_per_minute=100000) as (
            _app, client, s, branch):
        code = admin.enroll_device(s, unit_id=branch).code
        s.commit()
        token = client.post("/api/v1/enroll", json={"code": code}).json()["token"]
        yield {"client": client, "token": token, "branch": branch}


def _post_sync(env: dict[str, Any], body: bytes, gz: bool = False) -> Any:
    headers = {"Authorization": f"Bearer {env['token']}", "Content-Type": "application/json"}
    if gz:
        headers["Content-Encoding"] = "gzip"
    start = time.perf_counter()
    r = env["client"].post("/api/v1/sync", content=body, headers=headers)
    assert time.perf_counter() - start < 2.0
    assert r.status_code < 500, (r.status_code, r.text[:300], body[:300])
    assert r.headers["content-type"].startswith("application/json")
    return r


@FUZZ
@given(st.lists(mutations(), max_size=6), st.dictionaries(st.text(max_size=40),
                                                          st.integers(-3, 2**40), max_size=3))
def test_server_push_with_random_mutations(server_client, muts, cursors) -> None:
    count_input("server push (structured)")
    body = {"protocol": PROTOCOL_VERSION, "schema_version": HEAD, "mutations": muts,
            "cursors": cursors | {server_client["branch"]: 0}}
    r = _post_sync(server_client, json.dumps(body, allow_nan=True).encode())
    if r.status_code == 200:
        results = r.json()["results"]
        assert len(results) <= len(muts)
        # A refusal is an accepted outcome when it says why in a known way: the wire's code
        # or a record rule's code:field (domain.record_rules, issue 17).
        for result in results:
            if result["status"] == "rejected":
                assert is_known_reason(result["reason"]), result


rule_texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["bogus", "Hoa\u0300", "a\x07b", "a\x85b", "x" * 600, "   ", "", "19:30",
                     "99:99", "dòng 1\ndòng 2", "ầ" * 130]),
    st.sampled_from(sorted({v for fields in record_rules.RULES.values()
                            for r in fields.values() for v in r.choices})))


rule_dates = st.one_of(st.none(), st.dates(min_value=dt.date(1800, 1, 1),
                                           max_value=dt.date(2100, 1, 1)).map(str))


@st.composite
def rule_rows(draw: Any, branch: str) -> tuple[str, dict[str, Any]]:
    """A create of a branch entity with every field of the right wire type and a value
    aimed at the record rules (domain.record_rules): enum values and not, lengths around
    the limits, control characters, NFD, dates around the range, ids known and not."""
    entity = draw(st.sampled_from(sorted(e for e, s in ENTITIES.items() if s.branch_writable)))
    spec = ENTITIES[entity]
    row: dict[str, Any] = {}
    for name, kind in spec.fields.items():
        if name in spec.wire_only:
            continue
        if name == "unit_id":
            row[name] = branch
        elif kind == "str":
            row[name] = draw(rule_texts)
        elif kind == "date":
            row[name] = draw(rule_dates) if name in spec.nullable else draw(
                rule_dates.filter(lambda d: d is not None))
        elif kind == "id":
            # "@known": an id the server applied earlier, put in after drawing.
            row[name] = draw(st.one_of(st.none(), st.uuids().map(str), st.just("@known")))
        elif kind == "int":
            row[name] = draw(st.integers(-3, 10**6))
        else:
            row[name] = draw(st.booleans())
    return entity, row


@FUZZ
@given(st.data())
def test_server_applies_only_rows_that_keep_the_record_rules(server_client, data) -> None:
    """Creates aimed at every rule: each is applied only if the rules hold for it, refused
    otherwise with a known reason (code:field), and no answer is a 5xx (issue 17)."""
    count_input("server push (record rules)")
    env = server_client
    head = _post_sync(env, json.dumps({"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
                                       "pull": False}).encode()).json()
    last = head["last_mutation_id"] or 0
    known = env.setdefault("known_ids", [])
    rows = data.draw(st.lists(rule_rows(env["branch"]), min_size=1, max_size=5))
    for n, (_entity, fields) in enumerate(rows):
        for name, value in fields.items():
            if value == "@known":
                fields[name] = known[(n * 7 + len(name)) % len(known)] if known else "x"
    muts = [{"id": last + i + 1, "entity": entity, "row_id": str(uuid.uuid4()),
             "op": "add" if ENTITIES[entity].add_only else "create", "base_version": 0,
             "schema_version": HEAD, "fields": fields}
            for i, (entity, fields) in enumerate(rows)]
    r = _post_sync(env, json.dumps({"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
                                    "mutations": muts, "pull": False}).encode())
    assert r.status_code == 200, r.text[:300]
    for m, result in zip(muts, r.json()["results"], strict=True):
        if result["status"] == "rejected":
            assert is_known_reason(result["reason"]), result
        elif result["status"] == "applied":
            record_rules.check_fields(m["entity"], m["fields"], today=dt.date.today())
            known.append(m["row_id"])


@FUZZ
@given(st.data())
def test_server_sync_decoder_with_damaged_bodies(server_client, data) -> None:
    count_input("server sync decoder (damaged bytes)")
    valid = json.dumps({"protocol": PROTOCOL_VERSION, "schema_version": HEAD, "cursors": {},
                        "mutations": [data.draw(mutations())]}).encode()
    kind = data.draw(st.sampled_from(["raw", "flipped", "gzip-flipped", "gzip-of-random"]))
    if kind == "raw":
        _post_sync(server_client, data.draw(st.binary(max_size=2048)))
    elif kind == "flipped":
        _post_sync(server_client, flip(valid, data.draw))
    elif kind == "gzip-flipped":
        _post_sync(server_client, flip(gzip.compress(valid), data.draw), gz=True)
    else:
        _post_sync(server_client, gzip.compress(data.draw(st.binary(max_size=2048))), gz=True)


@pytest.fixture(scope="module")
def staff_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from sotay_core.domain.ids import new_id
    from sync_server import staff
    from sync_server.models import Unit
    from sync_server.records import put_record

    with _server(tmp_path_factory.mktemp("r13-pages"), publish_max_bytes=50_000) as (
            _app, client, s, branch):
        province = s.get(Unit, branch).parent_id
        staff.add_user(s, username="tinh", unit_id=province, password="mật khẩu đủ dài")
        resolution = new_id()
        put_record(s, scope_id=branch, entity="resolutions", row_id=resolution,
                   data={"unit_id": branch, "status": "draft", "title": "Dự thảo"}, by="x")
        s.commit()
        client.post("/province/login", data={"username": "tinh", "password": "mật khẩu đủ dài"})
        yield {"client": client, "branch": branch, "resolution": resolution}


@FUZZ
@given(st.data())
def test_province_forms_with_random_input(staff_pages, data) -> None:
    import re

    count_input("province pages: forms")
    c = staff_pages["client"]
    page = c.get("/province/publish").text
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    text = st.text(max_size=200)
    target = data.draw(st.sampled_from(["comment", "publish", "login", "month"]))
    if target == "comment":
        r = c.post(f"/province/branches/{staff_pages['branch']}/resolutions/"
                   f"{staff_pages['resolution']}/comments",
                   data={"form_token": data.draw(st.sampled_from([token, data.draw(text)])),
                         "body": data.draw(text)})
    elif target == "publish":
        r = c.post("/province/publish", data={
            "form_token": token, "to": data.draw(st.sampled_from([staff_pages["branch"], ""])),
            "title": data.draw(text), "number": data.draw(text), "doc_type": data.draw(text),
            "issued_on": data.draw(text), "summary": data.draw(text)},
            files={"file": (data.draw(text) or "a", data.draw(st.binary(max_size=2000)))})
    elif target == "login":
        r = c.post("/province/login", data={"username": data.draw(text),
                                            "password": data.draw(text),
                                            "next": data.draw(text)}, follow_redirects=False)
        if r.status_code == 303:
            assert r.headers["location"].startswith("/province/")
        c.post("/province/login", data={"username": "tinh", "password": "mật khẩu đủ dài"})
    else:
        r = c.get(f"/province/units/{staff_pages['branch']}",
                  params={"month": data.draw(text)})
    assert r.status_code < 500, (target, r.status_code, r.text[:300])
