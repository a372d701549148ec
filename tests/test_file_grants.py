"""Files by grant, not by mention: every way a device of branch A could learn or name another
scope's file hash, and none of them lets it read the file or learn that the file exists.

The world: a province P with communes C1 (branches A, B) and C2 (branch D), and another
province P2 (branch E). Branch B uploaded a file of its own and received one published to it;
commune C2 received a publication (covering D); province P2 one (covering E), and E uploaded
a file too. Device A names each of those hashes every way it can.

On SQLite always, on PostgreSQL when reachable (CI).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server import admin
from sync_server.app import create_app
from sync_server.models import FileGrant
from sync_server.records import put_record
from sync_server.settings import ServerSettings
from tests.sync_support import BACKENDS, database_url

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

SECRET = "MẬT-CỦA-CHI-BỘ-KHÁC 0987654321"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(client: TestClient, token: str, data: bytes) -> Any:
    """The PC's whole upload: state, one part, commit. Returns the commit's answer."""
    sha = hashlib.sha256(data).hexdigest()
    state = client.head(f"/api/v1/uploads/{sha}", headers=_bearer(token))
    assert state.status_code == 200, state.text
    offset = int(state.headers["Upload-Offset"])
    if offset < len(data):
        r = client.put(f"/api/v1/uploads/{sha}", params={"offset": offset},
                       content=data[offset:], headers=_bearer(token))
        assert r.status_code == 204, r.text
    return client.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token))


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = database_url(request.param, tmp_path)
    files_dir = tmp_path / "files"
    app = create_app(ServerSettings(db=url, files_dir=str(files_dir)))
    contents = {
        "uploaded_b": f"%PDF biên bản của chi bộ B {SECRET}".encode(),
        "published_b": f"%PDF chỉ thị gửi chi bộ B {SECRET}".encode(),
        "commune_c2": f"%PDF nghị quyết gửi đảng ủy xã C2 {SECRET}".encode(),
        "province_p2": f"%PDF công văn của tỉnh P2 {SECRET}".encode(),
        "uploaded_e": f"%PDF hồ sơ của chi bộ E {SECRET}".encode(),
    }
    with TestClient(app) as client, Session(app.state.engine) as s:
        with s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c1 = admin.add_unit(s, name="Xã 1", level="commune", parent_id=p.id)
            c2 = admin.add_unit(s, name="Xã 2", level="commune", parent_id=p.id)
            a = admin.add_unit(s, name="Chi bộ A", level="branch", parent_id=c1.id)
            b = admin.add_unit(s, name="Chi bộ B", level="branch", parent_id=c1.id)
            d = admin.add_unit(s, name="Chi bộ D", level="branch", parent_id=c2.id)
            p2 = admin.add_unit(s, name="Tỉnh khác", level="province", parent_id=None)
            c3 = admin.add_unit(s, name="Xã 3", level="commune", parent_id=p2.id)
            e = admin.add_unit(s, name="Chi bộ E", level="branch", parent_id=c3.id)
            for name, to in (("published_b", b.id), ("commune_c2", c2.id),
                             ("province_p2", p2.id)):
                path = tmp_path / f"{name}.pdf"
                path.write_bytes(contents[name])
                admin.publish(s, files_dir, path, to_unit=to, title=name)
            codes = {k: admin.enroll_device(s, unit_id=u.id).code
                     for k, u in (("a", a), ("b", b), ("d", d), ("e", e), ("b2", b))}
            units = {"a": a.id, "b": b.id, "d": d.id, "e": e.id}
        tokens = {k: client.post("/api/v1/enroll", json={"code": v}).json()["token"]
                  for k, v in codes.items()}
        assert upload(client, tokens["b"], contents["uploaded_b"]).status_code == 200
        assert upload(client, tokens["e"], contents["uploaded_e"]).status_code == 200
        shas = {k: hashlib.sha256(v).hexdigest() for k, v in contents.items()}
        yield {"client": client, "app": app, "tokens": tokens, "units": units,
               "contents": contents, "shas": shas, "files_dir": files_dir}


def _answer(r: Any) -> tuple[Any, ...]:
    """What a response tells: status, body and the headers that could reveal something."""
    keep = ("content-length", "x-stored", "upload-offset", "accept-ranges", "x-content-sha256",
            "content-range")
    return r.status_code, r.content, tuple((k, r.headers.get(k)) for k in keep)


def _probe(client: TestClient, token: str, sha: str) -> dict[str, tuple[Any, ...]]:
    """Every read a device can make about a hash, without sending its bytes."""
    h = _bearer(token)
    return {
        "get": _answer(client.get(f"/api/v1/files/{sha}", headers=h)),
        "get_range": _answer(client.get(f"/api/v1/files/{sha}",
                                        headers={**h, "Range": "bytes=0-15"})),
        "get_tail": _answer(client.get(f"/api/v1/files/{sha}",
                                       headers={**h, "Range": "bytes=5-"})),
        "head": _answer(client.head(f"/api/v1/files/{sha}", headers=h)),
        "upload_state": _answer(client.head(f"/api/v1/uploads/{sha}", headers=h)),
        "commit_without_bytes": _answer(client.post(f"/api/v1/uploads/{sha}/commit",
                                                    headers=h)),
    }


OTHERS = ["uploaded_b", "published_b", "commune_c2", "province_p2", "uploaded_e"]


def test_the_own_scope_reads_its_files(world) -> None:
    c, t, shas, contents = world["client"], world["tokens"], world["shas"], world["contents"]
    for who, name in (("b", "uploaded_b"), ("b2", "uploaded_b"), ("b", "published_b"),
                      ("d", "commune_c2"), ("e", "province_p2"), ("e", "uploaded_e")):
        r = c.get(f"/api/v1/files/{shas[name]}", headers=_bearer(t[who]))
        assert r.status_code == 200 and r.content == contents[name], (who, name)
        part = c.get(f"/api/v1/files/{shas[name]}",
                     headers={**_bearer(t[who]), "Range": "bytes=5-"})
        assert part.status_code == 206 and part.content == contents[name][5:]
        state = c.head(f"/api/v1/uploads/{shas[name]}", headers=_bearer(t[who]))
        assert state.headers["X-Stored"] == "1"
    with Session(world["app"].state.engine) as s:
        grants = {(g.scope_id, g.sha256): (g.how, g.via) for g in s.scalars(select(FileGrant))}
    u = world["units"]
    assert grants[(u["b"], shas["published_b"])] == ("published", u["b"])
    assert grants[(u["d"], shas["commune_c2"])][0] == "covered"
    assert grants[(u["b"], shas["uploaded_b"])] == ("uploaded", t["b"].split(".")[0])
    # Nobody else got a grant for B's upload or C2's publication.
    assert {scope for scope, sha in grants if sha == shas["uploaded_b"]} == {u["b"]}
    assert {scope for scope, sha in grants if sha == shas["commune_c2"]} == {u["d"]}


@pytest.mark.parametrize("name", OTHERS)
def test_naming_a_hash_every_way_reveals_nothing(world, name: str) -> None:
    """A's device names the hash in a title, a summary and as its own document's file; then
    asks for it every way. Each answer is byte for byte the answer about a hash that does not
    exist, and the other scope's text never appears."""
    c, t, app = world["client"], world["tokens"], world["app"]
    sha = world["shas"][name]
    unit_a = world["units"]["a"]
    with Session(app.state.engine) as s, s.begin():
        # Records of A's own scope that name the hash: a title, a summary, and a document
        # whose file is the other scope's (as a modified PC would push them).
        put_record(s, scope_id=unit_a, entity="documents", row_id=new_id(), by="A",
                   data={"unit_id": unit_a, "origin": "own", "title": f"xem {sha}",
                         "summary": sha, "file_sha256": sha, "file_name": "x.pdf",
                         "file_size": len(world["contents"][name])})
    nowhere = hashlib.sha256(b"a file nobody ever stored").hexdigest()
    seen = _probe(c, t["a"], sha)
    assert seen == _probe(c, t["a"], nowhere)
    assert seen["get"][0] == 404 and b"sync_file_not_found" in seen["get"][1]
    assert dict(seen["upload_state"][2])["x-stored"] == "0"
    assert seen["commit_without_bytes"][0] == 404
    # A part of wrong bytes, then a commit: refused, and still nothing readable.
    r = c.put(f"/api/v1/uploads/{sha}", params={"offset": 0}, content=b"%PDF guessed",
              headers=_bearer(t["a"]))
    assert r.status_code == 204
    r = c.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(t["a"]))
    assert r.status_code == 422 and r.json()["code"] == "sync_hash_mismatch"
    assert _probe(c, t["a"], sha) == _probe(c, t["a"], nowhere)
    for answer in seen.values():
        assert SECRET.encode() not in answer[1]
    with Session(app.state.engine) as s:
        assert s.get(FileGrant, (unit_a, sha)) is None


def test_other_branches_of_the_same_commune_and_province_are_refused(world) -> None:
    """B's files are not D's or E's; C2's publication is not A's or B's; P2's is nobody's
    in P."""
    c, t, shas = world["client"], world["tokens"], world["shas"]
    refused = [("d", "uploaded_b"), ("e", "uploaded_b"), ("d", "published_b"),
               ("a", "commune_c2"), ("b", "commune_c2"), ("e", "commune_c2"),
               ("a", "province_p2"), ("b", "province_p2"), ("d", "province_p2"),
               ("d", "uploaded_e"), ("b", "uploaded_e")]
    for who, name in refused:
        r = c.get(f"/api/v1/files/{shas[name]}", headers=_bearer(t[who]))
        assert r.status_code == 404 and r.json()["code"] == "sync_file_not_found", (who, name)


def test_uploading_the_whole_bytes_proves_possession(world) -> None:
    """Dedup: A's device sends bytes the server already holds for B. The bytes themselves are
    the proof: A may read them after (it had them), B's grant is untouched, and the file is
    stored once."""
    c, t, shas, contents = world["client"], world["tokens"], world["shas"], world["contents"]
    sha = shas["uploaded_b"]
    answer = upload(c, t["a"], contents["uploaded_b"])
    assert answer.status_code == 200 and answer.json() == {"sha256": sha,
                                                           "size": len(contents["uploaded_b"])}
    r = c.get(f"/api/v1/files/{sha}", headers=_bearer(t["a"]))
    assert r.status_code == 200 and r.content == contents["uploaded_b"]
    with Session(world["app"].state.engine) as s:
        grants = {g.scope_id: g.how for g in s.scalars(
            select(FileGrant).where(FileGrant.sha256 == sha))}
    assert grants == {world["units"]["b"]: "uploaded", world["units"]["a"]: "uploaded"}
    blobs = [p for p in world["files_dir"].rglob(sha)]
    assert len(blobs) == 1
