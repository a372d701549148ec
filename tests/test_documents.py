from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sotay_core.domain.entities import DocumentOrigin
from sotay_core.domain.errors import DomainError
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import DocumentRow, FileRow
from sotay_desktop.documents.extract import FileKind, extract
from sotay_desktop.documents.legacy import decode_legacy_bytes, tcvn3_to_unicode, vni_to_unicode
from sotay_desktop.services.documents import (
    add_document,
    document_file,
    search_documents,
    set_bookmark,
)
from sotay_desktop.services.files import stored_path
from tests.docfactory import make_docx, make_pdf, to_tcvn3, to_vni

TODAY = dt.date(2026, 11, 22)
SENTENCE = "Nghị quyết về công tác phòng, chống thiên tai mùa mưa bão năm 2026"


def _add(db, unit: str, path: Path, **meta: object):  # type: ignore[no-untyped-def]
    with db.sessions.begin() as session:
        return add_document(session, files_dir=db.files_dir, unit_id=unit, path=path,
                            metadata=meta, today=TODAY)[0]


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.reads() as session:
        return session.execute(select(func.count()).select_from(DocumentRow)).scalar_one()


def test_legacy_round_trips() -> None:
    for text in ("Chi bộ thôn Đông Hòa họp thường kỳ", "đảng viên ưu tú, Ương Ươm Ỹ ỵ",
                 "Nguyễn Thị Hường ẵ ặ ậ ẩ ữ ự ỡ ợ"):
        assert vni_to_unicode(to_vni(text)) == text
        assert tcvn3_to_unicode(to_tcvn3(text)) == text.lower()
        assert tcvn3_to_unicode(to_tcvn3(text), capitals=True) == text.upper()


def test_legacy_plain_text_files_are_recognised() -> None:
    tcvn = to_tcvn3(SENTENCE).encode("latin-1")
    vni = to_vni(SENTENCE).encode("cp1252")
    assert decode_legacy_bytes(tcvn) == (SENTENCE.lower(), "tcvn3")
    assert decode_legacy_bytes(vni) == (SENTENCE, "vni")


def test_docx_is_converted_run_by_run_by_font(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "cu.docx", [
        (to_tcvn3("nghị quyết"), ".VnTimeH"),        # all-caps TCVN3 font
        (to_tcvn3("chi bộ thôn đông hòa"), ".VnTime"),
        (to_vni("Đảng viên ưu tú"), "VNI-Times"),
        ("Đã là Unicode", "Times New Roman"),
    ])
    extracted = extract(path)
    assert extracted.kind is FileKind.DOCX
    assert extracted.text.split("\n") == ["NGHỊ QUYẾT", "chi bộ thôn đông hòa",
                                          "Đảng viên ưu tú", "Đã là Unicode"]
    assert extracted.legacy_encoding == "tcvn3"


def test_add_and_find_without_diacritics(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    pdf = make_pdf(tmp_path / "ct12.pdf", ["TỈNH ỦY HƯNG YÊN", SENTENCE,
                                           "Các chi bộ tổ chức quán triệt đến đảng viên."])
    added = _add(db, unit, pdf, number="Số 12-CT/TU", issuer="Tỉnh ủy Hưng Yên",
                 issued_on="2026-08-05", title="Chỉ thị phòng chống thiên tai")
    assert added.kind == "pdf" and added.has_text
    docx = make_docx(tmp_path / "kh.docx", [("Kế hoạch đại hội chi bộ nhiệm kỳ mới", None)])
    _add(db, unit, docx, title="Kế hoạch đại hội", origin="own")
    with db.reads() as session:
        hits = search_documents(session, query="thien tai mua bao")
        assert [h.id for h in hits] == [added.id]
        assert "thiên tai mùa mưa bão" in hits[0].passage   # the passage keeps its diacritics
        assert hits[0].number == "Số 12-CT/TU" and hits[0].issued_on == dt.date(2026, 8, 5)
        assert [h.title for h in search_documents(session, query="đại hội")] == \
            ["Kế hoạch đại hội"]
        assert len(search_documents(session, query="chi bo")) == 2   # prefix "bo" matches "bộ"
        assert search_documents(session, query="khong co dau tu nay") == []
        own = search_documents(session, origin=DocumentOrigin.OWN)
        assert [h.title for h in own] == ["Kế hoạch đại hội"]
        sha, name = document_file(session, added.id)
    assert stored_path(db.files_dir, sha).read_bytes() == pdf.read_bytes()
    assert name == "ct12.pdf"


def test_same_file_is_stored_once(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    pdf = make_pdf(tmp_path / "a.pdf", [SENTENCE])
    copy = tmp_path / "b.pdf"
    copy.write_bytes(pdf.read_bytes())
    _add(db, unit, pdf)
    _add(db, unit, copy)
    with db.reads() as session:
        assert session.execute(select(func.count()).select_from(FileRow)).scalar_one() == 1
    stored = [p for p in db.files_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_bookmarks(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    first = _add(db, unit, make_pdf(tmp_path / "a.pdf", [SENTENCE]), title="A")
    _add(db, unit, make_pdf(tmp_path / "b.pdf", ["Thông báo lịch sinh hoạt"]), title="B")
    with db.sessions.begin() as session:
        assert set_bookmark(session, document_id=first.id, on=True)
    with db.reads() as session:
        marked = search_documents(session, bookmarked_only=True)
        assert [h.title for h in marked] == ["A"] and marked[0].bookmarked
    with db.sessions.begin() as session:
        set_bookmark(session, document_id=first.id, on=False)
    with db.reads() as session:
        assert search_documents(session, bookmarked_only=True) == []


@pytest.mark.parametrize(("maker", "code"), [
    (lambda d: make_pdf(d / "mk.pdf", [SENTENCE], password="bi-mat"), "pdf_encrypted"),
    (lambda d: _write(d / "hong.pdf", b"%PDF-1.7\n garbage that is not a pdf"), "file_damaged"),
    (lambda d: _write(d / "hong.docx", b"PK\x03\x04 not really a zip"), "file_damaged"),
    (lambda d: _write(d / "chuongtrinh.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(300)),
     "file_unsupported"),
])
def test_bad_files_are_refused_and_nothing_changes(branch_db, tmp_path: Path, maker,
                                                   code: str) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    path = maker(tmp_path)
    with pytest.raises(DomainError) as info:
        _add(db, unit, path)
    assert info.value.code == code
    assert path.name in info.value.message("vi")
    assert _count(db) == 0
    assert not [p for p in db.files_dir.rglob("*") if p.is_file()]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_500_mb_file_is_refused_before_reading(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    huge = tmp_path / "quet.pdf"
    with open(huge, "wb") as handle:   # sparse: costs no disk
        handle.write(b"%PDF-1.4\n")
        handle.truncate(500 * 1024 * 1024)
    with pytest.raises(DomainError) as info:
        _add(db, unit, huge)
    assert info.value.code == "file_too_large" and "500 MB" in info.value.message("vi")
    assert _count(db) == 0


def test_wrong_extension_is_read_by_content(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    docx = make_docx(tmp_path / "that-ra-la-docx.pdf", [(SENTENCE, None)])
    added = _add(db, unit, docx)
    assert added.kind == "docx" and added.has_text


def test_docx_without_text_and_images_are_kept_without_text(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    empty = make_docx(tmp_path / "trong.docx", [])
    png = _write(tmp_path / "anh.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert not _add(db, unit, empty).has_text
    assert _add(db, unit, png).kind == "png"
    assert _count(db) == 2


def test_legacy_text_file_is_converted_and_searchable(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    txt = _write(tmp_path / "vanban-cu.txt", to_vni(SENTENCE).encode("cp1252"))
    added = _add(db, unit, txt)
    assert added.legacy_encoding == "vni"
    with db.reads() as session:
        hit = search_documents(session, query="phong chong thien tai")[0]
    assert SENTENCE[:30] in hit.passage
    assert txt.read_bytes() == to_vni(SENTENCE).encode("cp1252")   # the original is kept


def test_upgrade_from_0001_indexes_existing_documents(tmp_path: Path) -> None:
    from sqlalchemy import text

    from sotay_desktop.db.engine import make_engine, run_migrations

    engine = make_engine(tmp_path / "sotay.db")
    run_migrations(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO org_units (id, level, name, symbol, is_grassroots, has_chi_uy, "
            "former_names, version, deleted, created_at, updated_at) VALUES ('u', 'branch', "
            "'Chi bộ', 'CB', 0, 0, '', 0, 0, '2026-01-01', '2026-01-01')"))
        conn.execute(text(
            "INSERT INTO documents (id, unit_id, origin, doc_type, number, title, summary, tags,"
            " file_name, body_text, search_key, issuer, version, deleted, created_at, updated_at)"
            " VALUES ('d', 'u', 'from_above', 'NQ', '05-NQ/CB', 'Nghị quyết tháng 3', '', '', '',"
            " 'Toàn thể đảng viên tham gia dọn vệ sinh đường làng', '', '', 0, 0, '2026-01-01',"
            " '2026-01-01')"))
    engine.dispose()
    db = open_database(tmp_path)
    with db.reads() as session:
        assert [h.id for h in search_documents(session, query="ve sinh duong lang")] == ["d"]
    db.close()
    assert (tmp_path / "backups" / "sotay-before-upgrade-from-0001.db").exists()


def test_demo_documents_are_searchable(demo_db) -> None:  # type: ignore[no-untyped-def]
    from sotay_core.domain.text import fold

    with demo_db.reads() as session:
        everything = search_documents(session)
        assert len(everything) == 15
        hits = search_documents(session, query="dang vien")
        assert 0 < len(hits) <= 15
        # every hit shows the words, with their diacritics, in its title or passage
        assert all("dang vien" in fold(f"{h.title} {h.passage}") for h in hits)
        assert all("đảng viên" in f"{h.title} {h.passage}".lower() for h in hits)
        assert search_documents(session, query="khong ton tai trong van ban") == []
