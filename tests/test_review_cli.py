"""``sotay review …`` end to end on a generated branch, driven only through the command line:
a whole campaign (open, self-reviews, proposals one by one with totals, per-criterion points
and given grades, a table of proposals in cp1258 with ';', the branch's own grade, hold,
send), and ``summary --json`` compared with the grade counts computed here, independently,
from the points typed and the rules (90/70/50; discipline or a late task caps at
"fulfilled"). Refusals come in words, in Vietnamese and English, with nothing written."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from sotay_core import i18n
from sotay_desktop.cli import main as sotay
from tests import templates
from tests.vietnamese import vietnamese_letters

GRADES = ("excellent", "good", "fulfilled", "not_fulfilled")
TONES = "\u0300\u0301\u0303\u0309\u0323"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = sotay(list(argv), out=out, err=err)
    finally:
        i18n.set_language("vi")   # main() sets it for the process; the next test reads "vi"
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    code, out, err = run(*argv)
    assert code == 0, f"sotay {' '.join(argv)}: {err}"
    return out


def expected_grade(points: Decimal, *, disciplined: bool, on_time: bool) -> str:
    """The rules written again here, not imported: the thresholds of QĐ 366 and the caps."""
    rank = 0 if points >= 90 else 1 if points >= 70 else 2 if points >= 50 else 3
    if disciplined or not on_time:
        rank = max(rank, 2)
    return GRADES[rank]


def cp1258(text: str) -> bytes:
    """As Excel on Vietnamese Windows writes it: the tone as a combining mark after the
    letter (which keeps its circumflex, breve or horn)."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tone)
    return "".join(out).encode("cp1258")


def _points(rng: random.Random) -> Decimal:
    edges = ("49.9", "50", "69.9", "70", "89.9", "90", "100", "0")
    if rng.random() < 0.3:
        return Decimal(rng.choice(edges))
    return Decimal(rng.randint(300, 1000)) / 10


def _within_cap(chosen: dict[str, Decimal], facts: dict[str, dict[str, Any]],
                rng: random.Random) -> None:
    """Lower the points of "excellent" past 20 % of those good or better (rounded down)."""
    while True:
        grades = {m: expected_grade(p, **facts[m]) for m, p in chosen.items()}
        best = [m for m, g in grades.items() if g == "excellent"]
        allowed = sum(g in ("excellent", "good") for g in grades.values()) * 20 // 100
        if len(best) <= allowed:
            return
        chosen[rng.choice(best)] = Decimal(rng.randint(700, 899)) / 10


def test_a_whole_campaign_through_the_command_line(tmp_path: Path) -> None:
    folder = str(templates.copy_of(tmp_path / "branch", members=45, seed=7))
    data = ("--data-dir", folder)
    rng = random.Random(20)
    ok("review", "open", "2026", *data)          # the demo opened it: read again, not refused
    shown = json.loads(ok("review", "show", "2026", "--json", *data))
    assert shown["status"] == "open" and shown["members"]
    facts = {m["member_id"]: {"disciplined": m["disciplined"], "on_time": m["tasks_on_time"]}
             for m in shown["members"]}
    base = shown["voting_base"]
    roster = {m["id"]: m for m in json.loads(ok("members", "list", "--json", *data))}
    assert set(facts) <= set(roster)
    chosen = {member: _points(rng) for member in facts}
    _within_cap(chosen, facts, rng)
    members = sorted(chosen)
    by_table, one_by_one = members[:10], members[10:]
    # a few self-reviews
    for member in members[:3]:
        ok("review", "self", "2026", "--member", member, "--points", "85", "--text",
           "Tự kiểm điểm.", *data)
    # one by one, every way the command line takes them
    for index, member in enumerate(one_by_one):
        grade = expected_grade(chosen[member], **facts[member])
        argv = ["review", "propose", "2026", "--member", member, *data]
        card = roster[member]["card_number"]
        if index % 4 == 1 and card:
            argv[4] = card
        if index % 4 == 2:
            tasks = min(Decimal(70), chosen[member])
            rest = chosen[member] - tasks
            first = min(Decimal(10), rest)
            second = min(Decimal(10), rest - first)
            argv += ["--score", f"tasks={tasks}", "--score", f"politics={first}",
                     "--score", f"innovation={second}",
                     "--score", f"self_criticism={rest - first - second}"]
        else:
            argv += ["--points", str(chosen[member])]
        if index % 3 == 0:
            argv += ["--grade", grade]
        if index % 5 == 0:
            argv += ["--yes", str(base - 1), "--no", "0", "--abstain", "0", "--invalid", "1",
                     "--secret"]
        elif index % 5 == 1:
            argv += ["--yes", str(base), "--base", str(base)]
        out = ok(*argv)
        assert out.strip()
    # the rest from a table, as Excel on Vietnamese Windows saves it
    lines = ["Số thẻ;Điểm;Xếp loại;Tán thành;Không tán thành;Không biểu quyết"]
    for member in by_table:
        points = str(chosen[member]).replace(".", ",")
        lines.append(f"{roster[member]['card_number'] or member};{points};;{base};0;0")
    lines.append("Tổng cộng;;;;;")
    table = tmp_path / "de-nghi.csv"
    table.write_bytes(cp1258("\r\n".join(lines) + "\r\n"))
    ok("review", "import", "2026", str(table), *data)
    ok("review", "branch", "2026", "--points", "86.5", "--yes", str(base), *data)

    expected = dict.fromkeys(GRADES, 0)
    for member, points in chosen.items():
        expected[expected_grade(points, **facts[member])] += 1
    summary = json.loads(ok("review", "summary", "2026", "--json", *data))
    assert summary["counts"] == expected
    assert summary["proposed"] == summary["members"] == len(chosen)
    branch_tasks = json.loads(ok("review", "show", "2026", "--json", *data))["branch"]
    assert summary["branch"] == expected_grade(Decimal("86.5"), disciplined=False,
                                               on_time=branch_tasks["tasks_on_time"])
    day = dt.date.today().isoformat()
    ok("review", "hold", "2026", "--date", day, *data)
    ok("review", "send", "2026", *data)
    after = json.loads(ok("review", "summary", "2026", "--json", *data))
    assert after["status"] == "sent" and after["counts"] == expected
    listed = json.loads(ok("review", "list", "--json", *data))
    assert [(c["year"], c["status"]) for c in listed] == [(2026, "sent"), (2025, "sent")]


def test_refusals_in_words_and_nothing_written(demo_dir: Path, tmp_path: Path) -> None:
    data = ("--data-dir", str(demo_dir))
    shown = json.loads(ok("review", "show", "2026", "--json", *data))
    member = next(m for m in shown["members"]
                  if m["tasks_on_time"] and not m["disciplined"])
    who = member["full_name"]
    code, _out, err = run("review", "propose", "2026", "--member", member["member_id"],
                          "--points", "89.9", "--grade", "excellent", *data)
    assert code == 1 and who in err and "89.9" in err and "Hoàn thành tốt nhiệm vụ" in err
    code, _out, err = run("--lang", "en", "review", "propose", "2026", "--member",
                          member["member_id"], "--points", "89.9", "--grade", "HTXSNV", *data)
    assert code == 1 and err.startswith("Error: ") and "Fulfilled tasks well" in err
    assert not vietnamese_letters(err.replace(who, ""))
    code, _out, err = run("review", "propose", "2026", "--member", member["member_id"],
                          "--points", "80", "--yes", "1", *data)
    assert code == 1 and "chưa quá 50%" in err
    other = next(m for m in shown["members"] if m["member_id"] != member["member_id"])
    ok("review", "self", "2026", "--member", other["member_id"], "--points", "85,5", *data)
    code, _out, err = run("review", "hold", "2026", "--date", dt.date.today().isoformat(),
                          *data)
    assert code == 1 and "chưa có mức xếp loại" in err
    code, _out, err = run("review", "open", "2027", *data)
    assert code == 1 and "2027" in err
    code, _out, err = run("review", "open", "2026", "--quarter", "2", *data)
    assert code == 1 and "theo quý" in err
    bad = tmp_path / "bad.csv"
    bad.write_text(f"member,points,grade\n{member['member_id']},95,good\nNo Such Person,80,\n",
                   encoding="utf-8")
    code, _out, err = run("review", "import", "2026", str(bad), *data)
    assert code == 1 and "dòng 2" in err and "dòng 3" in err and "No Such Person" in err
    after = json.loads(ok("review", "show", "2026", "--json", *data))
    mended = next(m for m in after["members"] if m["member_id"] == other["member_id"])
    assert (mended["self_points"], mended["self_grade"]) == ("85.5", "good" if
                                                             other["tasks_on_time"] and not
                                                             other["disciplined"] else
                                                             "fulfilled")
    def written(sheets: list[dict[str, object]]) -> list[dict[str, object]]:
        """What the secretary wrote (each write reads the facts again: the template's day
        is not today, so the facts, and who is reviewed, may have moved on)."""
        before = {m["member_id"] for m in shown["members"]}
        return [{k: v for k, v in m.items() if k not in ("facts", "disciplined",
                                                           "tasks_on_time")}
                for m in sheets if m["member_id"] != other["member_id"]
                and m["member_id"] in before]

    assert written(after["members"]) == written(shown["members"])   # nothing else
    code, out, _err = run("--lang", "en", "review", "summary", "2026", *data)
    assert code == 0 and "0 of" in out and not vietnamese_letters(out)
    code, out, _err = run("--lang", "en", "review", "settings", *data)
    assert code == 0 and '"min_months_admitted": 6' in out
    ok("review", "settings", "--quarters", "on", *data)
    ok("review", "open", "2026", "--quarter", "4", *data)
    quarter = json.loads(ok("review", "summary", "2026", "--quarter", "4", "--json", *data))
    assert quarter["period"] == "q4" and quarter["members"] > 0


def test_last_years_review_in_the_demo_reads_back(demo_dir: Path) -> None:
    data = ("--data-dir", str(demo_dir))
    summary = json.loads(ok("review", "summary", "2025", "--json", *data))
    assert summary["status"] == "sent" and summary["proposed"] == summary["members"] > 0
    assert summary["decided"] == summary["counts"] and summary["branch_decided"]
    out = ok("--lang", "en", "review", "show", "2025", *data)
    assert "sent up" in out
