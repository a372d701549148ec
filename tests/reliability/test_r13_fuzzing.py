"""R13: everything that parses outside input, fuzzed with Hypothesis (bounded, derandomized).

Targets: the server's sync decoder and push (with a real token, so random mutations reach the
merge code), the client's answer decoder and the code that applies pulled changes, offline
bundles on both sides, roster imports (XLSX and CSV), document text extraction (PDF, DOCX,
text), legacy Vietnamese encodings. Inputs are random bytes, valid inputs with bytes flipped,
cut or inserted, and structured inputs with random values in every field.

Pass: no uncaught exception (only the typed errors the app turns into a message), no 5xx,
no input taking more than the deadline, and a rejected pulled page leaves local data as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sotay_core.domain import record_rules
from sotay_core.domain.errors import DomainError
from sotay_core.domain.record_rules import is_known_reason
from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS
from sotay_core.protocol.entities import ENTITIES
from tests.reliability.report import budget, record

pytestmark = pytest.mark.slow  # fuzzing: `make check` leaves it out

HEAD = SCHEMA_VERSIONS[-1]
EXAMPLES = budget(60, 600)
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
COUNTS: dict[str, int] = {}


def _count(target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1


# --- strategies ------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**64),
    st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["2026-02-30", "0000-00-00", "2026-11-22", "9999-12-31T99:99",
                     "\x00", "ầ" * 300, "'; DROP TABLE members; --", "../../etc/passwd",
                     "01234567-89ab-cdef-0123-456789abcdef", "NaN", "1e309"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
entity_names = st.one_of(st.sampled_from(sorted(ENTITIES)), st.text(max_size=12))


@st.composite
def field_maps(draw: Any, update: bool = False) -> dict[str, Any]:
    entity = draw(st.sampled_from(sorted(ENTITIES)))
    names = [*sorted(ENTITIES[entity].fields), "deleted", "id", "unit_id", "x" * 70]
    keys = draw(st.lists(st.sampled_from(names), max_size=6, unique=True))
    if update:
        return {k: draw(st.one_of(st.lists(json_values, min_size=2, max_size=2), json_values))
                for k in keys}
    return {k: draw(json_values) for k in keys}


@st.composite
def mutations(draw: Any) -> dict[str, Any]:
    op = draw(st.sampled_from(["create", "update", "add", "resolve", "delete", ""]))
    return {"id": draw(st.integers(min_value=-5, max_value=2**63)),
            "entity": draw(entity_names),
            "row_id": draw(st.one_of(st.uuids().map(str), st.text(max_size=40))),
            "op": op, "base_version": draw(st.integers(min_value=-1, max_value=2**40)),
            "schema_version": draw(st.sampled_from([HEAD, "0001", "", "9999"])),
            "fields": draw(field_maps(update=op == "update"))}


def flip(data: bytes, draw: Any) -> bytes:
    """A valid input with bytes changed, cut or inserted."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        if action == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del out[at:]
        elif action == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            out[at:at + 64] = b"\0" * len(out[at:at + 64])
    return bytes(out)


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
    _count("server push (structured)")
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
    _count("server push (record rules)")
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
    _count("server sync decoder (damaged bytes)")
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

    _count("province pages: forms")
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


# --- the client: decoding answers and applying pulled changes ----------------------------


@pytest.fixture(scope="module")
def branch_pc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.services.demo import create_demo

    db = open_database(tmp_path_factory.mktemp("r13-pc"))
    with db.sessions.begin() as s:
        create_demo(s, members=12, documents=2, meetings=2, as_of=dt.date(2026, 11, 22),
                    seed=13)
    yield db
    db.close()


@st.composite
def changes(draw: Any, ids: list[str]) -> dict[str, Any]:
    entity = draw(entity_names)
    spec = ENTITIES.get(entity)
    names = sorted(spec.fields) if spec else ["x"]
    keys = draw(st.lists(st.sampled_from([*names, "junk"]), max_size=8, unique=True))
    return {"entity": entity,
            "id": draw(st.one_of(st.sampled_from(ids), st.uuids().map(str), st.text(max_size=8))),
            "version": draw(st.integers(0, 2**31)), "deleted": draw(st.booleans()),
            "data": {k: draw(json_values) for k in keys}}


def _snapshot(db: Any) -> str:
    from tests.sync_support import digest

    return str(digest(db))


@FUZZ
@given(st.data())
def test_pulled_pages_with_random_rows_never_crash_or_half_apply(branch_pc, data) -> None:
    from pydantic import ValidationError
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from sotay_core.protocol import SyncResponse
    from sotay_desktop.db.tables import MemberRow
    from sotay_desktop.services.sync import pull, push

    _count("client: apply pulled changes")
    with branch_pc.sessions() as s:
        ids = list(s.scalars(select(MemberRow.id).limit(5)))
    page = {"protocol": PROTOCOL_VERSION, "server_time": "2026-11-22T00:00:00+00:00",
            "results": [], "changes": data.draw(st.lists(changes(ids), max_size=6)),
            "cursors": {"x": data.draw(st.integers(0, 10))}, "has_more": False}
    raw = json.dumps(page, allow_nan=True).encode()
    if data.draw(st.booleans()):
        raw = flip(raw, data.draw)
    before = _snapshot(branch_pc)
    try:
        response = SyncResponse.model_validate_json(raw)
    except ValidationError:
        return                                   # the transport says "bad answer"
    try:
        with branch_pc.sessions.begin() as s:
            request = push.build_request(s)
            pull.apply_response(s, request, response)
            raise _Undo()                        # look, then roll back
    except (_Undo, DomainError, IntegrityError):
        pass                                     # IntegrityError: sync_apply_failed
    assert _snapshot(branch_pc) == before


class _Undo(Exception):
    pass


# --- offline bundles ---------------------------------------------------------------------


@FUZZ
@given(st.data())
def test_bundles_damaged_or_forged_are_refused_plainly(tmp_path_factory, data) -> None:
    from sotay_desktop.services.sync.bundles import read_answer
    from sync_server.admin import AdminError
    from sync_server.bundles import read_bundle

    _count("offline bundles, both sides")
    tmp = tmp_path_factory.mktemp("b")
    valid = json.dumps({"kind": "answer", "device_id": "d", "created_at": "x",
                        "body": json.dumps({"protocol": 1, "server_time": "x"}),
                        "signature": "0" * 64}).encode()
    kind = data.draw(st.sampled_from(["random", "flipped-gzip", "gzip-random-json", "bomb"]))
    if kind == "random":
        blob = data.draw(st.binary(max_size=4096))
    elif kind == "flipped-gzip":
        blob = flip(gzip.compress(valid), data.draw)
    elif kind == "gzip-random-json":
        blob = gzip.compress(json.dumps(data.draw(json_values)).encode())
    else:
        blob = gzip.compress(b"{" + b" " * 40_000_000)  # 40 MB of nothing, 40 kB on disk
    path = tmp / "goi.sotay"
    path.write_bytes(blob)
    start = time.perf_counter()
    with pytest.raises(AdminError):
        read_bundle(path)
    with pytest.raises(DomainError):
        read_answer(path, "d", "0" * 64)
    assert time.perf_counter() - start < 5


# --- roster imports ----------------------------------------------------------------------

# (openpyxl cannot write control characters; a file from Excel has none either)
cell_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
cells = st.one_of(st.none(), cell_text, st.integers(-10**12, 10**12),
                  st.floats(allow_nan=False, allow_infinity=False),
                  st.dates(min_value=dt.date(1, 1, 1)), st.booleans(),
                  st.sampled_from(["=1/0", "=HYPERLINK(\"x\")", "31/02/1960", "Nam", "Nữ",
                                   "Kinh", "12345678", "x" * 500]))
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng",
          "Ngày chính thức", "Số thẻ đảng viên", "Quê quán"]


@FUZZ
@given(st.data())
def test_roster_imports_report_every_row_and_never_crash(branch_pc, tmp_path_factory,
                                                         data) -> None:
    from sotay_desktop.services.roster_io import preview_import

    _count("roster import XLSX/CSV")
    tmp = tmp_path_factory.mktemp("imp")
    rows = data.draw(st.lists(st.lists(cells, min_size=0, max_size=10), max_size=8))
    header = data.draw(st.one_of(st.just(HEADER), st.lists(cells, max_size=10)))
    kind = data.draw(st.sampled_from(["xlsx", "csv", "xlsx-flipped", "random"]))
    if kind.startswith("xlsx"):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for row in [header, *rows]:
            sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        blob = out.getvalue()
        if kind == "xlsx-flipped":
            blob = flip(blob, data.draw)
        path = tmp / "ds.xlsx"
    elif kind == "csv":
        text = "\n".join(",".join("" if c is None else str(c) for c in r)
                         for r in [header, *rows])
        blob = text.encode(data.draw(st.sampled_from(["utf-8", "utf-16", "cp1258"])),
                           errors="replace")
        path = tmp / "ds.csv"
    else:
        blob = data.draw(st.binary(max_size=4096))
        path = tmp / data.draw(st.sampled_from(["ds.xlsx", "ds.csv"]))
    path.write_bytes(blob)
    with branch_pc.sessions() as s:
        try:
            preview = preview_import(s, path=path, today=dt.date(2026, 11, 22))
        except DomainError as exc:
            assert exc.message()                 # a sentence for the secretary
            return
    assert all(isinstance(c.errors, tuple) for c in preview.rows)


# --- document text extraction ------------------------------------------------------------


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from tests.docfactory import make_docx, make_pdf

    tmp = tmp_path_factory.mktemp("samples")
    return {"pdf": make_pdf(tmp / "a.pdf", ["Nghị quyết chi bộ tháng 11"] * 5).read_bytes(),
            "docx": make_docx(tmp / "a.docx",
                              [("Chỉ thị về sinh hoạt chi bộ", None)] * 5).read_bytes()}


@FUZZ
@given(st.data())
def test_text_extraction_of_damaged_documents(samples, tmp_path_factory, data) -> None:
    from sotay_desktop.documents.extract import extract

    _count("text extraction PDF/DOCX/text")
    tmp = tmp_path_factory.mktemp("x")
    kind = data.draw(st.sampled_from(["pdf", "docx", "random"]))
    if kind == "random":
        blob = data.draw(st.binary(max_size=4096))
        name = data.draw(st.sampled_from(["a.pdf", "a.docx", "a.txt", "a"]))
    else:
        blob = flip(samples[kind], data.draw)
        name = f"a.{kind}"
    path = tmp / name
    path.write_bytes(blob)
    start = time.perf_counter()
    try:
        got = extract(path)
        assert isinstance(got.text, str)
    except DomainError as exc:
        assert exc.message()
    assert time.perf_counter() - start < 2.0


# --- legacy encodings --------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=300), st.binary(max_size=600))
def test_legacy_encodings_never_fail(text, blob) -> None:
    from sotay_desktop.documents import legacy

    _count("legacy TCVN3/VNI conversion")
    for out in (legacy.tcvn3_to_unicode(text), legacy.tcvn3_to_unicode(text, capitals=True),
                legacy.vni_to_unicode(text)):
        assert isinstance(out, str)
    decoded, encoding = legacy.decode_legacy_bytes(blob)
    assert isinstance(decoded, str) and isinstance(encoding, str)
    assert legacy.font_encoding(text) is not None


@pytest.fixture(scope="module", autouse=True)
def _report_inputs() -> Iterator[None]:
    """After the module's tests: how many inputs each target took, into the report."""
    yield
    if COUNTS:
        record("R13", "Fuzzing of everything that parses outside input",
               injected="random bytes; valid inputs with bytes flipped, cut, zeroed or "
                        "inserted; structured inputs with random values in every field; a "
                        "gzip bomb",
               trials=f"{sum(COUNTS.values()):,} inputs over {len(COUNTS)} targets "
                      f"(Hypothesis, derandomized, {EXAMPLES} examples per test, 2 s "
                      "deadline per input)",
               held="no uncaught exception, no 5xx, only typed errors with a message; pulled "
                    "pages that fail leave local data unchanged",
               figures=sorted((k, f"{v:,} inputs") for k, v in COUNTS.items()))
