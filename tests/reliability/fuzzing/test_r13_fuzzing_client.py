"""R13 on the PC's side: pulled pages with random rows, offline bundles (both sides), roster
imports, document text extraction and legacy encodings, with random input (see __init__.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sotay_core.domain.errors import DomainError
from sotay_core.protocol import PROTOCOL_VERSION
from sotay_core.protocol.entities import ENTITIES
from tests.reliability.fuzzing.strategies import FUZZ, count_input, entity_names, flip, json_values

pytestmark = pytest.mark.slow  # fuzzing: `make check` leaves it out


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

    count_input("client: apply pulled changes")
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

    count_input("offline bundles, both sides")
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

    count_input("roster import XLSX/CSV")
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

    count_input("text extraction PDF/DOCX/text")
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

    count_input("legacy TCVN3/VNI conversion")
    for out in (legacy.tcvn3_to_unicode(text), legacy.tcvn3_to_unicode(text, capitals=True),
                legacy.vni_to_unicode(text)):
        assert isinstance(out, str)
    decoded, encoding = legacy.decode_legacy_bytes(blob)
    assert isinstance(decoded, str) and isinstance(encoding, str)
    assert legacy.font_encoding(text) is not None
