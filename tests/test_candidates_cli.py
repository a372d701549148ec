"""``sotay candidates …`` on a copy of the demo branch: a whole admission from outstanding
citizen to full membership by the command line, each refusal in words (exit 1, nothing
written), the JSON forms, the papers saved, the figures shown with what is UNCONFIRMED, and
every command in English with no Vietnamese word of its own."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sotay_core import i18n
from sotay_desktop.cli import common
from sotay_desktop.cli import main as sotay
from tests.candidates_support import TODAY
from tests.vietnamese import vietnamese_letters


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "today", lambda: TODAY)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = sotay(list(argv), out=out, err=err)
    finally:
        i18n.set_language("vi")
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    code, out, err = run(*argv)
    assert code == 0, err
    return out


def as_json(*argv: str) -> Any:
    return json.loads(ok(*argv, "--json"))


def _base(folder: Path, day: str) -> tuple[int, int]:
    import datetime as dt

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.usecases.candidates import voting_base
    from sotay_desktop.usecases.workspace import Workspace

    db = open_database(folder)
    try:
        return voting_base(Workspace(db, today=lambda: TODAY), dt.date.fromisoformat(day))
    finally:
        db.close()


def _sponsors(folder: str) -> list[str]:
    people = as_json("members", "list", "--status", "official", "--data-dir", folder)
    return [p["card_number"] for p in people if p["card_number"]][:2]


def test_a_whole_admission_by_the_command_line(demo_dir: Path, tmp_path: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    name = "Đỗ Thị Lan Anh"
    added = as_json("candidates", "add", "--name", name, "--born", "15/03/1999", "--gender",
                    "nữ", "--residence", "Xóm 4, thôn Đông Hòa", *folder)
    cid = added["id"]
    one, two = _sponsors(str(demo_dir))
    for step, day in (("outstanding", "2025-07-21"), ("training", "2025-07-28"),
                      ("application", "2025-08-04"), ("background", "2025-08-06")):
        ok("candidates", "step", name, step, "--date", day, *folder)
    code, _out, err = run("candidates", "step", name, "sponsors", "--date", "2025-08-11",
                          "--sponsor", one, "--since", "2025-01-01", "--sponsor", two,
                          "--since", "2020-01-01", *folder)
    assert code == 1 and "12" in err and "tháng" in err        # together under 12 months
    ok("candidates", "step", name, "sponsors", "--date", "2025-08-11", "--sponsor", one,
       "--since", "2020-01-01", "--sponsor", two, "--since", "2020-01-01", *folder)
    ok("candidates", "step", cid, "mass_comments", "--date", "2025-08-20", *folder)
    base = as_json("candidates", "show", cid, *folder)
    code, _out, err = run("candidates", "step", cid, "branch_resolution", "--date",
                          "2025-09-03", "--votes-for", "1", *folder)
    assert code == 1 and "không đủ đa số" in err and "2/3" in err
    assert as_json("candidates", "show", cid, *folder) == base           # nothing written
    base_count, needed = _base(demo_dir, "2025-09-03")
    code, _out, err = run("candidates", "step", cid, "branch_resolution", "--date",
                          "2025-09-03", "--votes-for", str(needed - 1), *folder)
    assert code == 1 and f"{needed - 1}/{base_count}" in err
    ok("candidates", "step", cid, "branch_resolution", "--date", "2025-09-03", "--votes-for",
       str(needed), "--votes-against", "1", "--number", "08-NQ/CB", "--detail",
       "Ưu điểm: gương mẫu.\nKhuyết điểm: còn rụt rè.", *folder)
    ok("candidates", "step", cid, "decision", "--date", "2025-09-15", "--number",
       "155-QĐ/ĐU", "--issuer", "Đảng ủy xã Tân Lập", *folder)
    code, _out, err = run("candidates", "step", cid, "ceremony", "--date", "2025-11-03",
                          *folder)
    assert code == 1 and "quá hạn 30 ngày làm việc" in err
    said = ok("candidates", "step", cid, "ceremony", "--date", "2025-09-26", *folder)
    assert "danh sách đảng viên" in said
    assert [m["full_name"] for m in as_json("members", "list", "--search", "lan anh",
                                            *folder)] == [name]
    ok("candidates", "step", cid, "self_review", "--date", "2026-09-10", *folder)
    code, _out, err = run("candidates", "step", cid, "official_resolution", "--date",
                          "2026-09-25", "--votes-for", "1", *folder)
    assert code == 1 and "26/09/2026" in err
    base_count, needed = _base(demo_dir, "2026-09-28")
    ok("candidates", "step", cid, "official_resolution", "--date", "2026-09-28",
       "--votes-for", str(base_count), "--number", "21-NQ/CB", *folder)
    shown = as_json("candidates", "show", cid, *folder)
    assert shown["summary"]["status"] == "official" and shown["summary"]["next_step"] is None
    assert all(item["done"] for item in shown["checklist"])
    votes = {s["step"]: (s["votes_for"], s["voting_base"]) for s in shown["steps"]}
    base_then, needed_then = _base(demo_dir, "2025-09-03")
    assert votes["branch_resolution"] == (needed_then, base_then)
    member = as_json("members", "show", shown["summary"]["member_id"], *folder)
    assert [(e["kind"], e["date"], e["decision"]) for e in member["events"]] == [
        ("admitted", "2025-09-26", "155-QĐ/ĐU"), ("made_official", "2026-09-26", "21-NQ/CB")]
    for what in ("proposal", "official", "checklist"):
        target = tmp_path / f"{what}.pdf"
        ok("candidates", "paper", cid, "--what", what, "-o", str(target), *folder)
        assert name in " ".join(p.extract_text() for p in PdfReader(target).pages)
    ok("candidates", "paper", cid, "--what", "official", "-o", str(tmp_path / "o.docx"),
       *folder)
    code, _out, err = run("candidates", "paper", cid, "--what", "official", "-o",
                          str(tmp_path / "o.txt"), *folder)
    assert code == 1 and ".docx" in err


def test_undo_asks_for_the_last_step_by_name(demo_dir: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    waiting = next(c for c in as_json("candidates", "list", *folder)
                   if c["status"] == "active")
    code, _out, err = run("candidates", "undo", waiting["id"], "--step", "sponsors", *folder)
    assert code == 1 and "không huỷ gì" in err
    out = ok("candidates", "undo", waiting["id"], "--step", "mass_comments", *folder)
    assert "Nhận xét của đoàn thể" in out
    listed = {c["id"]: c for c in as_json("candidates", "list", *folder)}
    assert listed[waiting["id"]]["next_step"] == "mass_comments"
    ok("candidates", "stop", waiting["id"], "--reason", "Đi làm ăn xa", *folder)
    assert {c["id"]: c for c in as_json("candidates", "list", *folder)}[
        waiting["id"]]["status"] == "stopped"
    ok("candidates", "stop", waiting["id"], "--resume", *folder)


def test_the_figures_with_what_is_unconfirmed(demo_dir: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    shown = ok("candidates", "rules", *folder)
    assert "certificate_valid_months" in shown and "CHƯA XÁC NHẬN" in shown
    ok("candidates", "rules", "--set", "certificate_valid_months=36", "--set",
       "public_holidays=2026-09-02,2026-09-03", *folder)
    values = as_json("candidates", "rules", *folder)
    assert values["recorded"] and values["values"]["certificate_valid_months"] == 36
    assert values["values"]["public_holidays"] == ["2026-09-02", "2026-09-03"]
    assert "majority_numerator" in values["unconfirmed"]
    code, _out, err = run("candidates", "rules", "--set", "minimum_age=3", *folder)
    assert code == 1 and "14" in err
    code, _out, err = run("candidates", "rules", "--set", "nonsense", *folder)
    assert code == 1
    ok("candidates", "rules", "--reset", *folder)
    assert not as_json("candidates", "rules", *folder)["recorded"]


def _english(argv: list[str], data: set[str], code: int = 0) -> str:
    done, out, err = run("--lang", "en", *argv)
    text = out + err
    for word in sorted(data, key=len, reverse=True):
        text = text.replace(word, "")
    assert done == code, out + err
    assert not vietnamese_letters(text), text
    return text


def test_every_candidates_command_in_english(demo_dir: Path, tmp_path: Path) -> None:
    folder = ["--data-dir", str(demo_dir)]
    listed = as_json("candidates", "list", *folder)
    names = {c["full_name"] for c in listed}
    data = names | {s["name"] for c in listed
                    for s in as_json("candidates", "show", c["id"], *folder)["sponsors"]}
    data |= {s["number"] for c in listed
             for s in as_json("candidates", "show", c["id"], *folder)["steps"]}
    data |= {s["issuer"] for c in listed
             for s in as_json("candidates", "show", c["id"], *folder)["steps"]}
    data |= {"KNĐ"}      # the forms' numbers, as printed on them
    waiting, admitted = listed[0]["id"], listed[1]["id"]
    _english(["candidates", "list", *folder], data)
    _english(["candidates", "show", admitted, *folder], data)
    _english(["candidates", "checklist", waiting, *folder], data)
    _english(["candidates", "rules", *folder], data)
    text = _english(["candidates", "step", waiting, "decision", "--date", "2026-11-20",
                     *folder], data, code=1)
    assert "steps go in order" in text
    _english(["candidates", "step", waiting, "branch_resolution", "--date", "2026-11-20",
              "--votes-for", "2", *folder], data, code=1)
    _english(["candidates", "step", "nobody", "decision", "--date", "2026-11-20", *folder],
             data, code=1)
    _english(["candidates", "paper", waiting, "--what", "proposal", "-o",
              str(tmp_path / "x.pdf"), *folder], data, code=1)
    _english(["candidates", "undo", waiting, "--step", "decision", *folder], data, code=1)
    _english(["candidates", "add", "--name", "Lò Thị Ơn", "--born", "2030-01-01", *folder],
             data | {"Lò Thị Ơn"}, code=1)
    _english(["candidates", "rules", "--set", "minimum_age=99", *folder], data, code=1)
