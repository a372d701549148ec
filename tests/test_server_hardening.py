"""Issue 17, part 5: small server hardening, on SQLite and PostgreSQL.

- every integer a client sends is bounded by the schema: absurd ones answer 422, never 500
  (a cursor of 2^63 overflowed BIGINT on PostgreSQL and SQLite's INTEGER);
- a gzip body cut before its trailer, with a wrong CRC or with junk after it is refused, on
  the sync route and in offline bundles (server and PC);
- staff login limits cannot lock an account's owner out from another address;
- ``GET /`` leads to the province pages; the files folder default is a data path.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import (
    MAX_BODY_BYTES,
    MAX_COUNTER,
    PROTOCOL_VERSION,
    SCHEMA_VERSIONS,
    GzipRefused,
    GzipTooLarge,
    gunzip,
)
from sync_server import admin, staff
from sync_server.app import create_app
from sync_server.settings import LEGACY_FILES_DIR, ServerSettings
from tests.sync_support import BACKENDS, database_url

HEAD = SCHEMA_VERSIONS[-1]
PASSWORD = "mật khẩu tỉnh 2026"


def _fill(session: Session) -> tuple[str, list[str]]:
    """A province with its staff user and a branch with three enrolment codes."""
    p = admin.add_unit(session, name="Tỉnh", level="province", parent_id=None)
    b = admin.add_unit(session, name="Chi bộ", level="branch", parent_id=p.id)
    staff.add_user(session, username="tinh", unit_id=p.id, password=PASSWORD)
    return b.id, [admin.enroll_device(session, unit_id=b.id).code for _ in range(3)]


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    """The SQLite server database migrated and filled once (the password hash alone costs a
    tenth of a second); each SQLite test gets a copy."""
    from sync_server.db import make_engine, upgrade

    path = tmp_path_factory.mktemp("hardening-template") / "server.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as s, s.begin():
        branch, codes = _fill(s)
    engine.dispose()
    return path, branch, codes


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    copy: tuple[str, list[str]] | None = None
    if request.param == "sqlite":
        template, branch, codes = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "server.db")
        copy = branch, codes
    url = database_url(request.param, tmp_path)
    app = create_app(ServerSettings(db=url, files_dir=str(tmp_path / "files")))
    # A server error becomes an answer (500), as a real client would see it.
    with TestClient(app, raise_server_exceptions=False) as client:
        if copy is None:
            with Session(app.state.engine) as s, s.begin():
                copy = _fill(s)
        branch, codes = copy
        token = client.post("/api/v1/enroll", json={"code": codes[0]}).json()["token"]
        yield {"client": client, "app": app, "branch": branch, "token": token,
               "codes": codes[1:], "tmp": tmp_path}


def _sync(env: dict[str, Any], body: dict[str, Any] | bytes, **headers: str) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return env["client"].post("/api/v1/sync", content=data, headers={
        "Authorization": f"Bearer {env['token']}", "Content-Type": "application/json",
        **headers})


def _req(env: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
            "cursors": {env["branch"]: 0}} | over


def _member(env: dict[str, Any], mid: int = 1, **over: Any) -> dict[str, Any]:
    return {"id": mid, "entity": "members", "row_id": new_id(), "op": "create",
            "base_version": 0, "schema_version": HEAD,
            "fields": {"unit_id": env["branch"], "full_name": "Nguyễn Văn An",
                       "gender": "male", "date_of_birth": "1970-01-01"}} | over


HUGE = [2**63, 2**63 - 1, 10**30, MAX_COUNTER + 1, -1, -(2**63) - 1]


# --- integers the client sends -----------------------------------------------------------


@pytest.mark.parametrize("value", HUGE)
def test_an_absurd_cursor_is_refused_by_the_schema_not_a_500(env, value: int) -> None:
    r = _sync(env, _req(env, cursors={env["branch"]: value}))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "sync_bad_payload" and "cursors" in r.json()["detail"]


def test_the_largest_counter_is_still_a_cursor(env) -> None:
    r = _sync(env, _req(env, cursors={env["branch"]: MAX_COUNTER}))
    assert r.status_code == 200, r.text
    assert r.json()["changes"] == [] and r.json()["cursors"] == {env["branch"]: MAX_COUNTER}


@pytest.mark.parametrize("field,value", [
    ("page_bytes", 10**30), ("page_bytes", 2**63), ("page_bytes", -1),
    ("protocol", 10**30), ("protocol", 2**63), ("protocol", -1),
])
def test_absurd_request_numbers_are_422(env, field: str, value: int) -> None:
    r = _sync(env, _req(env, **{field: value}))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "sync_bad_payload"


def test_a_protocol_outside_the_window_is_still_an_upgrade_not_a_422(env) -> None:
    r = _sync(env, _req(env, protocol=PROTOCOL_VERSION + 1))
    assert r.status_code == 409 and r.json()["code"] == "sync_upgrade_required"


@pytest.mark.parametrize("field", ["id", "base_version"])
@pytest.mark.parametrize("value", HUGE)
def test_absurd_mutation_counters_are_422_and_change_nothing(env, field: str, value: int
                                                              ) -> None:
    r = _sync(env, _req(env, mutations=[_member(env, **{field: value})]))
    assert r.status_code == 422, r.text
    after = _sync(env, _req(env)).json()
    assert after["last_mutation_id"] == 0
    assert not [c for c in after["changes"] if c["entity"] == "members"]


def test_a_mutation_id_at_the_bound_is_applied(env) -> None:
    r = env["client"].post("/api/v1/enroll", json={"code": env["codes"][1],
                                                   "mutation_floor": MAX_COUNTER - 1})
    assert r.status_code == 200, r.text
    env = env | {"token": r.json()["token"]}
    r = _sync(env, _req(env, mutations=[_member(env, mid=MAX_COUNTER)]))
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
    r = _sync(env, _req(env, mutations=muts))
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


# --- gzip bodies ---------------------------------------------------------------------------


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
    body = json.dumps(_req(env, mutations=[_member(env)])).encode()
    bad = _damaged(body)[case]
    r = _sync(env, bad, **{"Content-Encoding": "gzip"})
    assert r.status_code == 400, (case, r.status_code, r.text)
    assert r.json()["code"] == "sync_bad_payload"
    # nothing of it was applied; the intact body is
    assert _sync(env, _req(env)).json()["last_mutation_id"] == 0
    r = _sync(env, gzip.compress(body, mtime=0), **{"Content-Encoding": "gzip"})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied"


def test_a_gzip_bomb_is_still_refused_as_too_large(env) -> None:
    bomb = gzip.compress(b"{" + b" " * (64 * 2**20))
    r = _sync(env, bomb, **{"Content-Encoding": "gzip"})
    assert r.status_code == 413 and r.json()["code"] == "sync_too_large"
    # exactly the limit passes the inflater (and is then refused as JSON: 422, not 413)
    at_limit = gzip.compress(b"{" + b" " * (MAX_BODY_BYTES - 1))
    r = _sync(env, at_limit, **{"Content-Encoding": "gzip"})
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


# --- staff login limits --------------------------------------------------------------------


def _client_at(app: Any, address: str) -> TestClient:
    """A client from ``address`` (not entered: the app's lifespan, and its engine, stay the
    fixture's)."""
    return TestClient(app, client=(address, 40000))


def _login(app: Any, address: str, password: str) -> int:
    r = _client_at(app, address).post("/province/login", follow_redirects=False,
                                      data={"username": "tinh", "password": password})
    return r.status_code


@pytest.mark.parametrize("attacker,owner", [
    ("203.0.113.7", "198.51.100.20"),
    ("2001:db8:1:2::bad", "2001:db8:9:9::1"),
])
def test_an_attacker_cannot_lock_the_owner_out_but_is_slowed(env, attacker: str,
                                                              owner: str) -> None:
    app = env["app"]
    statuses = [_login(app, attacker, "wrong password!") for _ in range(staff.LOGIN_LIMIT + 3)]
    assert statuses[: staff.LOGIN_LIMIT] == [401] * staff.LOGIN_LIMIT
    assert set(statuses[staff.LOGIN_LIMIT:]) == {429}  # slowed: not even checked any more
    # the attacker's next guess, even the right password, waits
    assert _login(app, attacker, PASSWORD) == 429
    # the owner, from another address, logs in at once
    assert _login(app, owner, PASSWORD) == 303
    # and a colleague mistyping from the owner's address is not blocked by the attacker
    assert _login(app, owner, "wrong password!") == 401
    assert _login(app, owner, PASSWORD) == 303


def test_other_addresses_in_the_attackers_ipv6_64_count_as_the_same(env) -> None:
    app = env["app"]
    for i in range(staff.LOGIN_LIMIT):
        assert _login(app, f"2001:db8:1:2::{i + 1:x}", "wrong password!") == 401
    # a fresh address of the same /64 (one home's or phone's network) is slowed too
    assert _login(app, "2001:db8:1:2:ffff::1", PASSWORD) == 429
    assert _login(app, "2001:db8:1:3::1", PASSWORD) == 303


def test_one_address_guessing_many_accounts_is_slowed(env) -> None:
    app = env["app"]
    names = [f"user{i}" for i in range(staff.LOGIN_IP_LIMIT)]
    for name in names:
        r = _client_at(app, "203.0.113.9").post(
            "/province/login", data={"username": name, "password": "x" * 12},
            follow_redirects=False)
        assert r.status_code == 401
    assert _login(app, "203.0.113.9", PASSWORD) == 429
    assert _login(app, "203.0.113.10", PASSWORD) == 303


# --- the site's root and the files folder --------------------------------------------------


def test_the_root_leads_to_the_province_pages(env) -> None:
    c = env["client"]
    r = c.get("/", follow_redirects=False)
    assert r.status_code in (302, 303, 307) and r.headers["location"] == "/province/"
    # followed, it ends at the login (no session yet)
    r = c.get("/")
    assert r.status_code == 200 and 'name="password"' in r.text
    assert "/" not in env["app"].openapi()["paths"]


def test_the_default_files_folder_is_a_data_path_not_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOTAY_SERVER_FILES_DIR", raising=False)
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for cwd in (tmp_path / "a", tmp_path / "b"):
        cwd.mkdir()
        monkeypatch.chdir(cwd)
        files_dir = Path(ServerSettings().files_dir)
        assert files_dir.is_absolute()
        assert files_dir == tmp_path / "xdg" / "sotay-server" / "files"
    # under systemd with StateDirectory=sotay-server
    monkeypatch.setenv("STATE_DIRECTORY", str(tmp_path / "state"))
    assert Path(ServerSettings().files_dir) == tmp_path / "state" / "files"
    # set explicitly: as given
    assert ServerSettings(files_dir="/srv/sotay/files").files_dir == "/srv/sotay/files"
    monkeypatch.setenv("SOTAY_SERVER_FILES_DIR", "/srv/x")
    assert ServerSettings().files_dir == "/srv/x"


def test_an_old_install_keeps_its_files_where_they_are(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the default moved, files went to ./sotay-server-files: a server started there
    keeps serving them (with a warning) rather than losing them."""
    monkeypatch.delenv("SOTAY_SERVER_FILES_DIR", raising=False)
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / LEGACY_FILES_DIR / "partial").mkdir(parents=True)  # no stored file: not used
    assert ServerSettings().files_dir == str(tmp_path / "xdg" / "sotay-server" / "files")
    (tmp_path / LEGACY_FILES_DIR / "ab").mkdir()
    assert ServerSettings().files_dir == str((tmp_path / LEGACY_FILES_DIR).resolve())


def test_no_server_files_are_committed_and_the_folder_is_ignored() -> None:
    import subprocess

    root = Path(__file__).parents[1]
    tracked = subprocess.run(["git", "ls-files", LEGACY_FILES_DIR], cwd=root,
                             capture_output=True, text=True, check=True).stdout
    assert tracked == ""
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{LEGACY_FILES_DIR}/4f/x"],
                             cwd=root, check=False)
    assert ignored.returncode == 0
