"""Issue 17, part 5, on SQLite and PostgreSQL: staff login limits cannot lock an account's
owner out from another address; ``GET /`` leads to the province pages; the files folder
default is a data path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync_server import staff
from sync_server.settings import LEGACY_FILES_DIR, ServerSettings
from tests.hardening.support import PASSWORD

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

    root = Path(__file__).parents[2]
    tracked = subprocess.run(["git", "ls-files", LEGACY_FILES_DIR], cwd=root,
                             capture_output=True, text=True, check=True).stdout
    assert tracked == ""
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{LEGACY_FILES_DIR}/4f/x"],
                             cwd=root, check=False)
    assert ignored.returncode == 0
