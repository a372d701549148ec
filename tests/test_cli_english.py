"""``sotay --lang en`` is English end to end: every command, its success and its failures,
prints no Vietnamese word of its own (the branch's data, names and titles, stay as they are).
The same commands in Vietnamese are tested in test_cli.py and test_use_cases.py."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest

from sotay_core import i18n
from sotay_desktop.cli import build_parser, main
from tests.cli_support import commands
from tests.vietnamese import vietnamese_letters

# Fields whose values are the branch's own words (names, places, titles), not the program's.
DATA_FIELDS = ("full_name", "hometown", "residence", "title", "decision", "place", "detail",
               "branch_name", "actor")


@pytest.fixture(autouse=True)
def _vietnamese_again() -> Iterator[None]:
    yield
    i18n.set_language("vi")   # main() sets the language for the whole process


def _data_words(value: Any) -> set[str]:
    """The values of DATA_FIELDS anywhere in a JSON document."""
    found: set[str] = set()
    if isinstance(value, dict):
        for name, item in value.items():
            if name in DATA_FIELDS and isinstance(item, str) and item:
                found.add(item)
            else:
                found |= _data_words(item)
    elif isinstance(value, list):
        for item in value:
            found |= _data_words(item)
    return found


def en(*argv: str, stdin: str | None = None, data: Collection[str] = (),
       code: int | None = 0, unexpected: bool = False) -> tuple[int, str, str]:
    """Run ``sotay --lang en …``; fail on any Vietnamese letter outside ``data``, and on an
    "unexpected error" unless ``unexpected`` (a failure must be the one the case is about)."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        done = main(["--lang", "en", *argv], out=out, err=err)
    finally:
        sys.stdin = old_stdin
        i18n.set_language("vi")
    text = out.getvalue() + err.getvalue()
    for word in sorted(data, key=len, reverse=True):
        text = text.replace(word, "")
    assert not vietnamese_letters(text), f"sotay {' '.join(argv)}:\n{text}"
    if code is not None:
        assert done == code, f"sotay {' '.join(argv)} ended with {done}:\n{text}"
    assert ("Something unexpected" in err.getvalue()) == unexpected, err.getvalue()
    if done != 0:
        assert err.getvalue().startswith("Error: ") or "error:" in err.getvalue(), \
            err.getvalue()
    return done, out.getvalue(), err.getvalue()


def _json(*argv: str) -> Any:
    """The --json answer of a command (its data, for telling data from the program's words)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        assert main(["--lang", "en", *argv, "--json"], out=out, err=err) == 0, err.getvalue()
    finally:
        i18n.set_language("vi")
    return json.loads(out.getvalue())


@pytest.mark.parametrize("command", [(), *commands(build_parser())],
                         ids=lambda c: " ".join(c) or "sotay")
def test_help_and_usage_errors_of_every_command(command: tuple[str, ...],
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOTAY_LANG", "vi")   # --lang on the line wins over the environment
    for argv in ([*command, "--help"], [*command, "--no-such-option"]):
        with pytest.raises(SystemExit):
            main(["--lang", "en", *argv])
        i18n.set_language("vi")
        seen = capsys.readouterr()
        text = seen.out + seen.err
        assert "usage: sotay" in text
        assert not vietnamese_letters(text), text


def test_members_commands(demo_dir: Path, tmp_path: Path) -> None:
    import openpyxl

    folder = ("--data-dir", str(demo_dir))
    everyone = _json("members", "list", *folder)
    names = _data_words(everyone)
    en("members", "list", *folder, data=names)
    en("members", "list", *folder, "--status", "official,exempted", data=names)
    en("members", "list", *folder, "--status", "happy", code=1)
    en("members", "list", "--data-dir", str(tmp_path / "nothing"), code=1)
    dead = _json("members", "list", *folder, "--status", "deceased")[0]["id"]
    for member_id in (everyone[0]["id"], dead):
        shown = _json("members", "show", member_id, *folder)
        en("members", "show", member_id, *folder, data=_data_words(shown))
    en("members", "show", "no-such-id", *folder, code=1)

    added = en("members", "add", *folder, "--json",
               stdin='{"full_name": "Lê Văn A", "date_of_birth": "1990-01-02"}',
               data={"Lê Văn A"})[1]
    member_id = json.loads(added)["id"]
    en("members", "add", *folder, stdin='{"full_name": "Lê Văn B", "date_of_birth": "1990-02-30"}',
       code=1)
    en("members", "add", *folder, stdin='{"full_name": "", "gender": "x"}', code=1,
       data={"nữ"})     # the accepted values of "gender" in the JSON, quoted as typed
    en("members", "add", *folder, stdin="{not json", code=1)
    en("members", "add", *folder, stdin='["a list"]', code=1)
    en("members", "add", *folder, "--file", str(tmp_path / "missing.json"), code=1)
    patch = tmp_path / "patch.json"
    patch.write_text('{"phone": "0912 345 678"}', encoding="utf-8")
    en("members", "update", member_id, *folder, "--file", str(patch))
    en("members", "update", member_id, *folder, "--file", str(patch))       # unchanged
    patch.write_text('{"date_of_birth": "1990-13-01"}', encoding="utf-8")
    en("members", "update", member_id, *folder, "--file", str(patch), code=1)
    en("members", "event", member_id, *folder, "--kind", "admitted", "--date", "2015-05-19")
    en("members", "event", member_id, *folder, "--kind", "admitted", "--date", "2015-05-19",
       code=1)                                                       # twice: refused
    en("members", "event", member_id, *folder, "--kind", "nonsense", "--date", "2016-05-19",
       code=1)
    en("members", "event", member_id, *folder, "--kind", "made_official", "--date",
       "2016-13-45", code=1)
    en("members", "event", "no-such-id", *folder, "--kind", "admitted", "--date", "2020-01-01",
       code=1)

    sheet = tmp_path / "ds.xlsx"
    book = openpyxl.Workbook()
    rows_in = book.worksheets[0]
    rows_in.append(["Họ và tên", "Ngày sinh", "Cột lạ"])
    rows_in.append(["Lò Văn Páo", "1980-01-01", ""])
    rows_in.append(["Sai Ngày", "1980-02-31", ""])
    rows_in.append(["Tổng cộng: 2 đảng viên", "", ""])
    book.save(sheet)
    rows = {"Lò Văn Páo", "Sai Ngày", "Tổng cộng: 2 đảng viên"}
    en("members", "import", str(sheet), *folder, "--dry-run", data=rows)
    en("members", "import", str(sheet), *folder, "--dry-run", "--json", data=rows | {"Cột lạ"})
    en("members", "import", str(sheet), *folder, data=rows)
    en("members", "import", str(tmp_path / "none.xlsx"), *folder, code=1)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    en("members", "import", str(bad), *folder, code=1)
    en("members", "export", *folder, "-o", str(tmp_path / "mau7.xlsx"))
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    en("members", "export", *folder, "-o", str(tmp_path / "a-file" / "x.xlsx"), code=1)


def test_meeting_and_packet_commands(demo_dir: Path, tmp_path: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    meetings = _json("meeting", "list", *folder)
    en("meeting", "list", *folder, data=_data_words(meetings))
    latest = meetings[0]["id"]
    for what in ("minutes", "resolution", "invitation", "attendance"):
        en("meeting", "export", latest, "--what", what, "--format", "pdf", *folder,
           "-o", str(tmp_path / f"{what}.pdf"))
    en("packet", latest, *folder, "-o", str(tmp_path / "packet.pdf"))
    en("packet", latest, *folder, "--members", "none", "-o", str(tmp_path / "p2.pdf"))


def test_audit_database_and_backup_commands(demo_dir: Path, tmp_path: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    entries = _json("audit", "list", *folder)
    en("audit", "list", *folder, "--limit", "20", data=_data_words(entries))
    en("audit", "verify", *folder)
    en("audit", "export", *folder, "-o", str(tmp_path / "audit.xlsx"))
    en("audit", "list", "--data-dir", str(tmp_path / "nothing"), code=None)
    en("db", "check", *folder)
    en("db", "check", *folder, "--json")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "sotay.db").write_bytes(b"\x00garbage" * 512)
    copies = tmp_path / "copies"
    copies.mkdir()
    en("backup", *folder, "-o", str(copies))
    copy = next(copies.iterdir())
    en("restore", str(copy), "--data-dir", str(tmp_path / "restored"))
    en("restore", str(copy), *folder, code=1)          # not over a folder in use
    en("restore", str(broken / "sotay.db"), "--data-dir", str(tmp_path / "r2"), code=1)
    en("restore", str(tmp_path / "none.sotay"), "--data-dir", str(tmp_path / "r3"), code=1)
    en("backup", *folder, "-o", str(tmp_path / "no" / "such" / "dir" / "x.sotay"), code=None)


def test_demo_and_profile_commands(empty_dir: Path, demo_dir: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOTAY_PASSWORD", raising=False)
    made = _json("demo", "--data-dir", str(tmp_path / "d1"), "--members", "5", "--documents",
                 "2", "--meetings", "2")
    en("demo", "--data-dir", str(tmp_path / "d2"), "--members", "5", "--documents", "2",
       "--meetings", "2", data=_data_words(made))
    en("demo", "--data-dir", str(demo_dir), code=1)
    secret = tmp_path / "pw.txt"
    secret.write_text("mật khẩu dài 1", encoding="utf-8")
    new = tmp_path / "new.txt"
    new.write_text("mật khẩu dài 2", encoding="utf-8")
    protected = ("--data-dir", str(demo_dir))
    en("profile", "create", *protected, code=1)                       # no password given
    en("profile", "create", *protected, "--password-file", str(tmp_path / "none.txt"), code=1)
    en("profile", "create", *protected, "--password-file", str(secret))
    en("members", "list", *protected, code=1)                         # locked
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai", encoding="utf-8")
    en("members", "list", *protected, "--password-file", str(wrong), code=1)
    names = _data_words(_json("members", "list", *protected, "--password-file", str(secret)))
    en("members", "list", *protected, "--password-file", str(secret), data=names)
    en("profile", "adduser", *protected, "--user", "pho-bi-thu", "--password-file", str(secret),
       "--new-password-file", str(new))
    en("profile", "adduser", *protected, "--user", "pho-bi-thu", "--password-file", str(secret),
       "--new-password-file", str(new), code=1)                       # already there
    en("profile", "passwd", *protected, "--password-file", str(wrong),
       "--new-password-file", str(new), code=1)
    en("profile", "passwd", *protected, "--password-file", str(secret),
       "--new-password-file", str(new))
    en("profile", "passwd", *protected, "--recovery-file", str(wrong),
       "--new-password-file", str(secret), code=1)
    en("profile", "create", "--data-dir", str(tmp_path / "fresh"), "--password-file",
       str(secret))
    copies = tmp_path / "copies"
    copies.mkdir()
    copy = en("backup", *protected, "--password-file", str(new), "-o", str(copies))[1]
    copy = copy.split(": ", 1)[-1].strip() if ": " in copy else copy.strip()
    backup_file = next(copies.iterdir())
    en("restore", str(backup_file), "--data-dir", str(tmp_path / "r"), code=1)
    en("restore", str(backup_file), "--data-dir", str(tmp_path / "r"),
       "--password-file", str(new))


def test_sync_commands_without_a_server(demo_dir: Path, tmp_path: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    en("enroll", *folder, "--server", "http://127.0.0.1:9", "--code", "ABCD-1234", code=1)
    en("enroll", *folder, "--server", "not a url", "--code", "ABCD-1234", code=1)
    en("sync", *folder, code=1)
    en("sync", *folder, "--no-files", "--json", code=1)
    en("conflicts", "list", *folder)
    en("conflicts", "list", *folder, "--json")
    en("conflicts", "resolve", "no-such-id", *folder, "--keep", "mine", code=1)
    en("bundle", "export", *folder, "-o", str(tmp_path / "b.sotaybundle"), code=1)
    junk = tmp_path / "junk.sotaybundle"
    junk.write_bytes(b"junk")
    en("bundle", "import", str(junk), *folder, code=1)
    en("bundle", "import", str(tmp_path / "none"), *folder, code=1)


def test_sync_conflict_and_bundle_commands_with_a_server(demo_dir: Path,
                                                         tmp_path: Path) -> None:
    from tests.sync_support import running_server

    with running_server(tmp_path / "server") as server:
        [branch] = server.tree()
        units = {"Tỉnh Thử Nghiệm", "Đảng ủy xã Hòa Bình", "Chi bộ thôn 1"}
        pc1, pc2 = ("--data-dir", str(demo_dir)), ("--data-dir", str(tmp_path / "pc2"))
        en("enroll", *pc1, "--server", server.url, "--code", "AAAA-BBBB-CCCC", code=1)
        en("enroll", *pc1, "--server", server.url, "--code", server.code(branch), data=units)
        en("sync", *pc1)
        en("enroll", *pc2, "--server", server.url, "--code", server.code(branch), data=units)
        en("sync", *pc2, "--json")
        member = _json("members", "list", *pc1)[1]
        for folder, place in ((pc1, "Xóm Trên"), (pc2, "Xóm Dưới")):
            patch = tmp_path / "patch.json"
            patch.write_text(json.dumps({"residence": place}, ensure_ascii=False),
                             encoding="utf-8")
            en("members", "update", member["id"], *folder, "--file", str(patch))
        en("sync", *pc1)
        en("sync", *pc2)
        data = {member["full_name"], "Xóm Trên", "Xóm Dưới"}
        en("conflicts", "list", *pc2, data=data)
        [conflict] = _json("conflicts", "list", *pc2)["conflicts"]
        en("conflicts", "resolve", conflict["id"], *pc2, "--keep", "mine")
        en("conflicts", "resolve", conflict["id"], *pc2, "--keep", "mine", code=None)
        en("sync", *pc2)
        bundle = tmp_path / "pc1.sotay"
        en("bundle", "export", *pc1, "-o", str(bundle))
        en("bundle", "import", str(bundle), *pc1, code=1)        # not an answer bundle


# Errors raised below the command line (services, db) are said in English too.
@pytest.mark.parametrize("case", ["meeting", "packet_meeting", "packet_member",
                                  "packet_document", "damaged"])
def test_errors_from_below_the_cli_are_english(case: str, demo_dir: Path, tmp_path: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    target = str(tmp_path / "x.pdf")
    if case == "meeting":
        en("meeting", "export", "no-such-id", "--what", "minutes", *folder, "-o", target, code=1)
    elif case == "packet_meeting":
        en("packet", "no-such-id", *folder, "-o", target, code=1)
    elif case == "packet_member":
        latest = _json("meeting", "list", *folder)[0]["id"]
        en("packet", latest, *folder, "--members", "no-such-id", "-o", target, code=1)
    elif case == "packet_document":
        latest = _json("meeting", "list", *folder)[0]["id"]
        en("packet", latest, *folder, "--documents", "no-such-id", "-o", target, code=1)
    else:
        (tmp_path / "sotay.db").write_bytes(b"\x00garbage" * 512)
        en("db", "check", "--data-dir", str(tmp_path), code=1)


def test_an_unexpected_error_is_said_in_english(demo_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from sotay_desktop.services import audit

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.delenv("SOTAY_DEBUG", raising=False)
    monkeypatch.setattr(audit, "verify", broken)
    en("audit", "verify", "--data-dir", str(demo_dir), code=1, unexpected=True)
