"""``sotay-server --lang en`` is English end to end: the help of every command, argparse's own
words, and what every command prints when it succeeds and when it refuses. The same scenario
without ``--lang`` prints the Vietnamese of before, word for word (the lines checked below).

The names in the scenario are ASCII, so any Vietnamese letter in the English output is the
program's own. Needs only the server and the core.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from sotay_core import i18n
from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS, Bundle, SyncRequest, sign_bundle
from sync_server import admin, bundles, files
from sync_server.cli import build_parser, main
from sync_server.db import make_engine
from sync_server.records import put_record
from tests.cli_support import commands, help_gaps
from tests.vietnamese import vietnamese_letters

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SOTAY_LANG", raising=False)   # the default: Vietnamese
    yield
    assert i18n.language() == "vi"                      # main() put it back


class Cli:
    """``sotay-server`` in this process on one SQLite database, in one language; keeps all
    it printed."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str], lang: str) -> None:
        self.url, self.capsys = url, capsys
        self.lang_args = ["--lang", "en"] if lang == "en" else []
        self.printed: list[str] = []

    def __call__(self, *argv: str | Path, code: int = 0) -> str:
        args = [*self.lang_args, "--db", self.url, *map(str, argv)]
        try:
            got = main(args)
        except SystemExit as ended:   # argparse's refusals
            got = ended.code if isinstance(ended.code, int) else 1
        out, err = self.capsys.readouterr()
        self.printed.append(out + err)
        assert got == code, f"sotay-server {' '.join(args)} -> {got}\n{out}{err}"
        return out + err


def _bundle(path: Path, engine_url: str, unit: str) -> str:
    """A branch PC's signed offline bundle (an empty sync request); returns the device id."""
    engine = make_engine(engine_url)
    with Session(engine) as s, s.begin():
        enrolled = admin.enroll_device(s, unit_id=unit, label="pc")
        credential = admin.redeem_code(s, enrolled.code)
        key, device = credential.device.bundle_key, credential.device.id
    engine.dispose()
    assert key is not None
    body = SyncRequest(protocol=PROTOCOL_VERSION, schema_version=SCHEMA_VERSIONS[-1]
                       ).model_dump_json()
    bundles.write_bundle(path, Bundle(kind="request", device_id=device,
                                      created_at="2026-12-01T08:00:00+00:00", body=body,
                                      mac=sign_bundle(key, body)))
    return device


def _resolutions(engine_url: str, branch: str) -> tuple[str, str]:
    """A draft and an adopted resolution of ``branch``."""
    engine = make_engine(engine_url)
    ids = new_id(), new_id()
    with Session(engine) as s, s.begin():
        for row_id, status in zip(ids, ("draft", "adopted"), strict=True):
            put_record(s, scope_id=branch, entity="resolutions", row_id=row_id,
                       data={"title": "Resolution", "status": status}, by="test")
        admin.log_action(s, "PC-3", "pc_quarantine", unit=branch, entity="members",
                         row_id="row-1", version=2, reason="bad_value")
    engine.dispose()
    return ids


def scenario(cli: Cli, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every command, its success and its refusals; returns some outputs by name."""
    seen: dict[str, str] = {}
    files_dir = tmp / "files"
    monkeypatch.setenv("SOTAY_SERVER_FILES_DIR", str(files_dir))
    seen["migrate"] = cli("migrate")
    # org
    p = cli("org", "add", "--name", "Province One", "--level", "province").strip()
    c = json.loads(cli("org", "add", "--name", "Commune A", "--level", "commune",
                       "--parent", p, "--json"))["id"]
    b = cli("org", "add", "--name", "Branch 1", "--level", "branch", "--parent", c).strip()
    cli("org", "add", "--name", "Branch 2", "--level", "branch", "--parent", c)
    seen["needs_parent"] = cli("org", "add", "--name", "X", "--level", "branch", code=1)
    seen["parent_is_branch"] = cli("org", "add", "--name", "X", "--level", "branch",
                                   "--parent", b, code=1)
    seen["no_unit"] = cli("org", "add", "--name", "X", "--level", "commune", "--parent",
                          "nope", code=1)
    seen["no_name"] = cli("org", "add", "--name", " ", "--level", "province", code=1)
    seen["bad_text"] = cli("org", "add", "--name", "A\x07B", "--level", "province", code=1)
    seen["bad_level"] = cli("org", "add", "--name", "X", "--level", "county", code=2)
    seen["required"] = cli("org", "add", code=2)
    cli("org", "list")
    cli("org", "list", "--json")
    # device
    seen["enrolled"] = cli("device", "enroll", "--unit", b, "--label", "PC-1")
    device = json.loads(cli("device", "enroll", "--unit", b, "--json"))["device_id"]
    seen["enroll_commune"] = cli("device", "enroll", "--unit", c, code=1)
    seen["revoked"] = cli("device", "revoke", device)
    cli("device", "revoke", "nope", code=1)
    # bundle
    seen["bundle_missing"] = cli("bundle", "import", tmp / "none.sotay", code=1)
    (tmp / "junk.sotay").write_bytes(b"junk")
    seen["bundle_junk"] = cli("bundle", "import", tmp / "junk.sotay", code=1)
    _bundle(tmp / "pc.sotay", cli.url, b)
    seen["bundle_imported"] = cli("bundle", "import", tmp / "pc.sotay", "-o", tmp / "answer")
    seen["bundle_answer"] = cli("bundle", "import", tmp / "answer", code=1)
    revoked = _bundle(tmp / "revoked.sotay", cli.url, b)
    cli("device", "revoke", revoked)
    seen["bundle_revoked"] = cli("bundle", "import", tmp / "revoked.sotay", code=1)
    # user
    secret, short = tmp / "pw.txt", tmp / "short.txt"
    secret.write_text("a long enough password\n", encoding="utf-8")
    short.write_text("short\n", encoding="utf-8")
    seen["user_added"] = cli("user", "add", "--username", "commune.a", "--unit", c,
                             "--password-file", secret, "--name", "Officer A")
    cli("user", "add", "--username", "commune.b", "--unit", c, "--password-file", secret,
        "--json")
    seen["short"] = cli("user", "add", "--username", "x1", "--unit", c, "--password-file",
                        short, code=1)
    seen["taken"] = cli("user", "add", "--username", "commune.a", "--unit", c,
                        "--password-file", secret, code=1)
    seen["branch_user"] = cli("user", "add", "--username", "x2", "--unit", b,
                              "--password-file", secret, code=1)
    seen["bad_username"] = cli("user", "add", "--username", "bad name", "--unit", c,
                               "--password-file", secret, code=1)
    seen["no_password"] = cli("user", "add", "--username", "x3", "--unit", c,
                              "--password-file", tmp / "none.txt", code=1)
    seen["passwd"] = cli("user", "passwd", "commune.a", "--password-file", secret)
    seen["disabled"] = cli("user", "disable", "commune.b")
    seen["user_list"] = cli("user", "list")
    cli("user", "list", "--json")
    seen["no_user"] = cli("user", "disable", "nobody", code=1)
    # publish, downloads
    doc = tmp / "letter.pdf"
    doc.write_bytes(b"%PDF-1.4 letter")
    seen["published"] = cli("publish", doc, "--to", c, "--number", "12-CV/TU")
    document = json.loads(cli("publish", doc, "--to", b, "--title", "Letter", "--json")
                          )["document_id"]
    seen["no_file"] = cli("publish", tmp / "none.pdf", "--to", c, code=1)
    seen["bad_date"] = cli("publish", doc, "--to", c, "--issued-on", "2026-13-01", code=1)
    seen["bad_title"] = cli("publish", doc, "--to", c, "--title", "A\x07B", code=1)
    seen["downloads"] = cli("downloads", document)
    cli("downloads", document, "--json")
    seen["no_document"] = cli("downloads", "nope", code=1)
    # comment, quarantine
    draft, adopted = _resolutions(cli.url, b)
    who = ("--author", "Province Committee")
    seen["commented"] = cli("comment", "--branch", b, "--resolution", draft, "--text", "Fine",
                            *who)
    seen["closed"] = cli("comment", "--branch", b, "--resolution", adopted, "--text", "Late",
                         *who, code=1)
    seen["empty"] = cli("comment", "--branch", b, "--resolution", draft, "--text", " ", *who,
                        code=1)
    seen["bad_comment"] = cli("comment", "--branch", b, "--resolution", draft, "--text",
                              "A\x07B", *who, code=1)
    seen["no_resolution"] = cli("comment", "--branch", b, "--resolution", "nope",
                                "--text", "Fine", *who, code=1)
    seen["quarantine"] = cli("quarantine")
    cli("quarantine", "--json")
    # stats, report
    seen["stats"] = cli("stats", "tree", "--unit", p)
    cli("stats", "tree", "--unit", c, "--month", "2026-11", "--json")
    seen["bad_month"] = cli("stats", "tree", "--unit", p, "--month", "2026-13", code=1)
    seen["rebuilt"] = cli("stats", "rebuild")
    seen["report"] = cli("report", "--unit", p, "-o", tmp / "report.xlsx")
    cli("report", "--unit", c, "-o", tmp / "report.pdf")
    seen["report_format"] = cli("report", "--unit", p, "-o", tmp / "report.txt", code=1)
    seen["report_unit"] = cli("report", "--unit", "nope", "-o", tmp / "r.xlsx", code=1)
    seen["month_report"] = cli("report", "--unit", p, "--month", "2026-11", "-o",
                               tmp / "month.xlsx")
    cli("report", "--unit", c, "--year", "2026", "-o", tmp / "year.pdf")
    seen["bad_year"] = cli("report", "--unit", p, "--year", "1066", "-o", tmp / "y.xlsx",
                           code=1)
    # check, cleanup
    seen["check_ok"] = cli("check")
    cli("check", "--json")
    blob = next(path for path in files_dir.rglob("*") if path.is_file())
    blob.write_bytes(b"damaged")
    (blob.parent / ("0" * 64)).write_bytes(b"?")   # a file the database does not know
    seen["check_bad"] = cli("check", code=1)
    seen["cleanup"] = cli("cleanup", "--older-than", "1")
    cli("cleanup", "--json")

    def storage_full(*_args: object, **_kw: object) -> tuple[int, int]:
        raise files.FileError("sync_storage_full", status=507)

    monkeypatch.setattr(files, "cleanup", storage_full)
    seen["storage_full"] = cli("cleanup", code=1)
    return seen


def test_every_command_speaks_english_with_lang_en(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'server.db'}", capsys, "en")
    seen = scenario(cli, tmp_path, monkeypatch)
    mixed = [text for text in cli.printed if vietnamese_letters(text)]
    assert not mixed, "\n---\n".join(mixed)
    assert seen["migrate"] == "The database is up to date.\n"
    assert seen["needs_parent"] == "Error: a branch unit needs --parent\n"
    assert seen["bad_text"].startswith("Error: the field «unit name» has a control character")
    assert "usage: sotay-server org add" in seen["bad_level"]
    assert "error: argument --level: invalid choice" in seen["bad_level"]
    assert "the following arguments are required: --name, --level" in seen["required"]
    assert "(device " in seen["enrolled"] and "a one-time code, expires on 20" in seen["enrolled"]
    assert seen["bundle_missing"].startswith("Error: cannot read or write a file: ")
    assert seen["bundle_imported"].startswith("Changes received: 0; answer bundle: ")
    assert "\tOfficer A\t" in seen["user_list"] and "  (disabled)" in seen["user_list"]
    assert seen["published"].startswith("Sent document ") and "to 2 branch(es)." in seen[
        "published"]
    assert "not yet" in seen["downloads"] and "0/1 branches have downloaded it." in seen[
        "downloads"]
    assert seen["bad_comment"].startswith("Error: the field «comment» has")
    assert "Rows set aside by branch PCs: 1." in seen["quarantine"]
    assert "\tbranches 2\tmembers 0\tmeetings held 0\tattendance" in seen["stats"]
    assert seen["report"].endswith("(members: 0).\n")
    assert seen["month_report"].endswith("(dues collected: 0 dong, monthly reports sent: 0).\n")
    assert seen["bad_year"] == "Error: «1066» is not a valid year\n"
    assert "Every file matches the database." in seen["check_ok"]
    assert seen["storage_full"].startswith("Error: ")


def test_without_lang_the_words_are_the_vietnamese_of_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'server.db'}", capsys, "vi")
    seen = scenario(cli, tmp_path, monkeypatch)
    assert seen["migrate"] == "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n"
    assert seen["needs_parent"] == "Lỗi: đơn vị cấp branch cần --parent\n"
    assert seen["bad_text"] == ("Lỗi: ô «tên đơn vị» có ký tự điều khiển không hợp lệ; "
                                "gõ lại ô đó\n")
    assert "cách dùng: sotay-server org add" in seen["bad_level"]
    assert "(máy " in seen["enrolled"] and "; mã dùng một lần, hết hạn " in seen["enrolled"]
    assert seen["bundle_missing"].startswith("Lỗi: không đọc/ghi được tệp: [Errno 2]")
    assert seen["bundle_imported"].startswith("Đã nhận 0 thay đổi; gói trả lời: ")
    assert seen["user_added"] == "Đã tạo tài khoản commune.a (Commune A).\n"
    assert "\tOfficer A\t" in seen["user_list"] and "  (đã khoá)" in seen["user_list"]
    assert seen["passwd"] == ("Đã đổi mật khẩu của commune.a; các phiên đăng nhập cũ đã "
                              "bị đóng.\n")
    assert seen["disabled"] == "Đã khoá tài khoản commune.b.\n"
    assert seen["published"].startswith("Đã gửi tài liệu ")
    assert seen["published"].endswith(" tới 2 chi bộ.\n")
    assert seen["downloads"].endswith("\tchưa tải\n0/1 chi bộ đã tải về.\n")
    assert seen["commented"].endswith("; chi bộ nhận được ở lần đồng bộ tới.\n")
    assert seen["bad_comment"].startswith("Lỗi: ô «góp ý» có ký tự")
    assert seen["quarantine"].endswith("\tPC-3\tmembers\trow-1\tbad_value\n"
                                       "1 bản ghi bị máy chi bộ để riêng.\n")
    assert "\t2 chi bộ\t0 đảng viên\tđã họp 0\tdự họp —\tNQ 0\txung đột 0\n" in seen["stats"]
    assert seen["rebuilt"].startswith("Đã tính lại số liệu từ ")
    assert seen["report"].endswith("report.xlsx (0 đảng viên).\n")
    assert seen["check_ok"].endswith(" byte đọc lại).\nTất cả tệp khớp với cơ sở dữ liệu.\n")
    assert "HỎNG   " in seen["check_bad"] and "CÓ LỖI: thiếu 0, hỏng 1. Khôi phục" in seen[
        "check_bad"]
    assert "1 tệp trong thư mục không có trong cơ sở dữ liệu (không dùng; có thể xóa)." in seen[
        "check_bad"]
    assert seen["cleanup"] == ("Đã xóa 0 tệp tải lên dở (cũ hơn 1 giờ), giải phóng 0 byte.\n")
    assert seen["storage_full"] == f"Lỗi: {i18n.t('server_storage_full', lang='vi')}\n"


# --- help ---------------------------------------------------------------------------------

COMMANDS = list(commands(build_parser()))


def _help(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 0
    return out.getvalue()


def test_there_are_commands_to_check() -> None:
    assert ("user", "add") in COMMANDS and ("cleanup",) in COMMANDS and len(COMMANDS) > 20


@pytest.mark.parametrize("command", [(), *COMMANDS],
                         ids=lambda c: " ".join(c) or "sotay-server")
def test_help_of_every_command_in_english_and_in_vietnamese(
        command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    en = _help(["--lang", "en", *command, "--help"], monkeypatch)
    assert en.startswith("usage: sotay-server") and "options:" in en
    assert "show this help message and exit" in en
    assert not vietnamese_letters(en), en
    vi = _help([*command, "--help"], monkeypatch)
    assert vi.startswith("cách dùng: sotay-server") and "tuỳ chọn:" in vi
    assert "usage" not in vi and "show this help" not in vi
    assert vietnamese_letters(vi)


def test_every_command_and_option_has_help_text() -> None:
    """No command, option or argument is left without words in the help."""
    assert not list(help_gaps(build_parser(), "sotay-server"))


# --- where the language comes from --------------------------------------------------------

def test_the_language_from_the_environment_or_after_the_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    assert main(["migrate", "--db", url, "--lang", "en"]) == 0
    assert capsys.readouterr().out == "The database is up to date.\n"
    monkeypatch.setenv("SOTAY_LANG", "en")
    assert main(["--db", url, "migrate"]) == 0
    assert capsys.readouterr().out == "The database is up to date.\n"
    assert main(["--lang", "vi", "--db", url, "migrate"]) == 0   # the line wins
    assert capsys.readouterr().out == "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n"
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "migrate"])
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_a_missing_server_library_is_said_in_the_language(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sync_server.settings", None)
    assert main(["--lang", "en", "migrate"]) == 1
    assert capsys.readouterr().err == (
        "A server library is missing (sync_server.settings); install it with: "
        "pip install '.[server]'\n")
    assert main(["migrate"]) == 1
    assert capsys.readouterr().err.startswith("Thiếu thư viện máy chủ (sync_server.settings)")
