"""The province pages (issue 7): a document published to a subtree reaches its branches, who
downloaded it shows, and bad uploads are refused with a page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.models import Record
from tests.province.support import login, text_of, token_of

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def _publish(c: TestClient, to: str, data: bytes, name: str = "chi-thi-05.pdf",
             **fields: str) -> Any:
    page = c.get("/province/publish").text
    form = {"form_token": token_of(page), "to": to, "title": "Chỉ thị về đại hội",
            "number": "05-CT/TU", "doc_type": "CT", "issued_on": "20/11/2026", **fields}
    return c.post("/province/publish", data=form,
                  files={"file": (name, io.BytesIO(data), "application/pdf")},
                  follow_redirects=False)


def test_publishing_reaches_the_subtree_and_shows_who_downloaded(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    payload = b"%PDF-1.4 chi thi " + bytes(range(256)) * 100
    r = _publish(c, ids["c1"], payload)
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert "Đã gửi văn bản tới 2 chi bộ" in page and "0/2" in text_of(page)
    document_id = r.headers["location"].split("/")[-1].split("?")[0]
    b1, b3 = env["branches"][ids["b1"]], env["branches"][ids["b3"]]
    docs = [ch for ch in b1.sync()["changes"] if ch["entity"] == "documents"]
    assert len(docs) == 1 and docs[0]["data"]["number"] == "05-CT/TU"
    assert docs[0]["data"]["issued_on"] == "2026-11-20"
    assert docs[0]["data"]["issuer"] == "Tỉnh ủy Thái Bình"
    assert docs[0]["data"]["file_name"] == "chi-thi-05.pdf"
    assert not [ch for ch in b3.sync()["changes"] if ch["entity"] == "documents"]
    sha = docs[0]["data"]["file_sha256"]
    got = c.get(f"/api/v1/files/{sha}", headers={"Authorization": f"Bearer {b1.token}"})
    assert got.status_code == 200 and got.content == payload
    page = text_of(c.get(f"/province/publications/{document_id}").text)
    assert "1/2 chi bộ đã tải về" in page
    listing = text_of(c.get("/province/publish").text)
    assert "Chỉ thị về đại hội 1/2 chi bộ" in listing
    # a commune account does not see a publication outside... it is inside here; a stranger's
    c2 = TestClient(env["app"])
    login(c2, "xa1")
    assert c2.get(f"/province/publications/{document_id}").status_code == 200


def test_bad_uploads_are_refused_with_a_page_and_nothing_is_sent(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    r = _publish(c, ids["c1"], b"x" * 300_000)          # over the 200 kB limit of this test
    assert r.status_code == 413 and "quá lớn" in r.text
    r = _publish(c, ids["c1"], b"")
    assert r.status_code == 400 and "rỗng" in r.text
    r = _publish(c, ids["c1"], b"abc", issued_on="31/02/2026")
    assert r.status_code == 400 and "Ngày ban hành" in r.text
    r = _publish(c, ids["c2"] + "x", b"abc")
    assert r.status_code == 404
    # streamed without a declared length, past the limit
    page = c.get("/province/publish").text

    def chunks() -> Iterator[bytes]:
        yield (b'--zz\r\nContent-Disposition: form-data; name="form_token"\r\n\r\n'
               + token_of(page).encode() + b"\r\n--zz\r\nContent-Disposition: form-data; "
               b'name="file"; filename="a.pdf"\r\n\r\n')
        for _ in range(40):
            yield b"y" * 10_000
        yield b"\r\n--zz--\r\n"

    r = c.post("/province/publish", content=chunks(),
               headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413
    with Session(env["app"].state.engine) as s:
        assert not s.scalars(select(Record).where(Record.entity == "documents")).all()
    assert not any((Path(env["settings"].files_dir) / "incoming").glob("*/*"))
    assert c.get("/healthz").status_code == 200
