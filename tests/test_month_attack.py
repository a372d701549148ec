"""The secretary's month (issue 19) attacked as a new user would: a second exemption over
months already exempted, one criterion scored again from the command line, a task's notes
longer than the server keeps, receipts asked for a member who left. Each is refused in
words naming the member (or kept as it was), nothing recorded is lost."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain.dues import (
    DuesBasis,
    DuesCategory,
    Exemption,
    ExemptionKind,
    Month,
    amount_due,
)
from sotay_desktop.cli import main as sotay
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.month_tables import MeetingScoreRow


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = sotay(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _members(folder: str) -> list[dict]:  # type: ignore[type-arg]
    code, out, _ = run("members", "list", "--json", "--data-dir", folder)
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def _grid_line(folder: str, member_id: str) -> dict:  # type: ignore[type-arg]
    code, out, _ = run("dues", "grid", "2026", "--json", "--data-dir", folder)
    assert code == 0
    return next(m for m in json.loads(out)["members"] if m["member_id"] == member_id)


def test_overlapping_exemptions_do_not_compound() -> None:
    """Two reductions over one month (two PCs, or a mistake) cut once, by the larger."""
    basis = DuesBasis(DuesCategory.OTHER, 10_000)
    half = Exemption(ExemptionKind.REDUCTION, Month(2026, 3), Month(2026, 8), "QĐ 1", 50)
    third = Exemption(ExemptionKind.REDUCTION, Month(2026, 5), Month(2026, 10), "QĐ 2", 30)
    due = [amount_due(basis, (half, third), Month(2026, m), admitted_on=dt.date(2000, 1, 1))
           for m in (4, 6, 9)]
    assert due == [5_000, 5_000, 7_000]


def test_a_second_exemption_over_exempted_months_is_refused(demo_dir: Path) -> None:
    folder = str(demo_dir)
    member = next(m for m in _members(folder) if m["status"] == "official"
                  and _grid_line(folder, m["id"])["months"][2]["due"] > 0)
    code, _out, err = run("dues", "exempt", member["id"], "--kind", "reduction",
                          "--percent", "50", "--from", "2026-01", "--to", "2026-06",
                          "--data-dir", folder)
    assert code == 0, err
    line = _grid_line(folder, member["id"])
    for start, end in (("2026-01", "2026-06"), ("2026-06", "2026-09"), ("2025-10", "2026-01")):
        code, _out, err = run("dues", "exempt", member["id"], "--kind", "reduction",
                              "--percent", "30", "--from", start, "--to", end,
                              "--data-dir", folder)
        assert code == 1 and member["full_name"] in err, err
        assert "Traceback" not in err
    code, _out, err = run("--lang", "en", "dues", "exempt", member["id"], "--kind",
                          "hardship_waiver", "--from", "2026-03", "--to", "2026-04",
                          "--data-dir", folder)
    assert code == 1 and member["full_name"] in err and "03/2026" in err, err
    assert _grid_line(folder, member["id"]) == line          # nothing changed
    # the months after it are free
    code, _out, err = run("dues", "exempt", member["id"], "--kind", "reduction",
                          "--percent", "30", "--from", "2026-07", "--to", "2026-09",
                          "--data-dir", folder)
    assert code == 0, err


def _score_lines(out: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+(\d+/\d+)", out, re.M))


def test_scoring_one_criterion_keeps_the_others(demo_dir: Path) -> None:
    folder = str(demo_dir)
    code, out, _ = run("meeting", "list", "--json", "--data-dir", folder)
    assert code == 0
    meetings = json.loads(out)
    scored = None
    for m in meetings:
        code, shown, _ = run("score", "show", m["id"], "--data-dir", folder)
        lines = _score_lines(shown)
        if code == 0 and lines.get("conclusion", "0/").split("/")[0] not in ("0", ""):
            scored, before = m["id"], lines
            break
    assert scored is not None
    code, _out, err = run("score", "set", scored, "--note", "Ghi chú cũ",
                          "--data-dir", folder)
    assert code == 0, err
    code, out, err = run("score", "set", scored, "--points", "minutes=5", "--data-dir", folder)
    assert code == 0, err
    after = _score_lines(out)
    assert after["minutes"].startswith("5/")
    assert {k: v for k, v in after.items() if k != "minutes"} == {
        k: v for k, v in before.items() if k != "minutes"}
    code, shown, _ = run("score", "show", scored, "--data-dir", folder)
    assert _score_lines(shown) == after
    db = open_database(demo_dir)
    try:
        with db.reads() as s:
            notes = list(s.scalars(select(MeetingScoreRow.note).where(
                MeetingScoreRow.meeting_id == scored)))
    finally:
        db.close()
    assert notes == ["Ghi chú cũ"]


def test_task_notes_longer_than_the_server_keeps_are_refused(demo_dir: Path) -> None:
    folder = str(demo_dir)
    code, out, _ = run("tasks", "list", "--json", "--data-dir", folder)
    assert code == 0
    task = json.loads(out)[0]
    code, _out, err = run("tasks", "set", task["id"], "--notes", "Đã làm.",
                          "--data-dir", folder)
    assert code == 0, err
    code, _out, err = run("tasks", "set", task["id"], "--notes", "x" * 20_001,
                          "--data-dir", folder)
    assert code == 1 and "20" in err and "Traceback" not in err, err
    code, out, _ = run("tasks", "list", "--json", "--data-dir", folder)
    assert next(t for t in json.loads(out) if t["id"] == task["id"])["notes"] == "Đã làm."


def test_receipts_for_a_member_who_left_name_them(demo_dir: Path, tmp_path: Path) -> None:
    folder = str(demo_dir)
    gone = next(m for m in _members(folder) if m["status"] == "deceased"
                and m["card_number"])
    code, _out, err = run("dues", "receipts", "2026-11", "-o", str(tmp_path / "r.pdf"),
                          "--member", gone["card_number"], "--data-dir", folder)
    assert code == 1 and gone["full_name"] in err and gone["id"] not in err, err


def test_amounts_as_a_secretary_writes_them(demo_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """25.000 and 25,000 are twenty-five thousand đồng; 1e9 or 2,5 are refused in words."""
    folder = str(demo_dir)
    code, out, _ = run("dues", "grid", "2026", "--json", "--data-dir", folder)
    owing = [m for m in json.loads(out)["members"]
             if m["months"][11]["due"] >= 1000 and m["months"][11]["paid"] == 0][:2]
    for member, sep in zip(owing, (".", ","), strict=True):
        due = member["months"][11]["due"]
        code, _out, err = run("dues", "pay", member["member_id"], "2026-12", "--amount",
                              f"{due:,}".replace(",", sep), "--data-dir", folder)
        assert code == 0, err
        assert _grid_line(folder, member["member_id"])["months"][11]["paid"] == due
    capsys.readouterr()
    for bad in ("1e9", "2,5", "abc"):
        with pytest.raises(SystemExit) as refused:   # argparse: the usage and the reason
            run("dues", "pay", owing[0]["member_id"], "2026-11", "--amount", bad,
                "--data-dir", folder)
        err = capsys.readouterr().err
        assert refused.value.code == 2 and f"«{bad}»" in err and "int" not in err, err
