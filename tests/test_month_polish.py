"""The secretary's month (issue 19), second review: the person in charge of a task is found
as ``sotay dues`` finds a member and must be on the roster; exemption refusals name the
member; dates in messages read dd/mm/yyyy; one month parser for every command; the papers'
suffixes and years checked before anything is written; an old month's report has no dues
part instead of a refusal; the task list's columns do not run into each other."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from sotay_core.domain.text import fold
from sotay_desktop.cli import main as sotay

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = sotay(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _members(folder: str) -> list[dict]:  # type: ignore[type-arg]
    code, out, _ = run("members", "list", "--json", "--data-dir", folder)
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def _tasks(folder: str) -> list[dict]:  # type: ignore[type-arg]
    code, out, _ = run("tasks", "list", "--json", "--data-dir", folder)
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def _one(folder: str, status: str) -> dict:  # type: ignore[type-arg]
    return next(m for m in _members(folder) if m["status"] == status and m["card_number"])


def test_task_person_found_as_dues_finds_them_and_on_the_roster(demo_dir: Path) -> None:
    folder = str(demo_dir)
    task = _tasks(folder)[0]
    official = _one(folder, "official")
    for words in (official["card_number"], fold(official["full_name"])):
        code, _out, err = run("tasks", "set", task["id"], "--member", words,
                              "--data-dir", folder)
        assert code == 0, err
        found = next(t for t in _tasks(folder) if t["id"] == task["id"])
        assert found["responsible_id"] == official["id"]
        assert found["responsible"] == official["full_name"]
    for status in ("deceased", "transferred_out"):
        gone = _one(folder, status)
        for words in (gone["id"], gone["card_number"]):
            code, _out, err = run("tasks", "set", task["id"], "--member", words,
                                  "--data-dir", folder)
            assert code == 1 and gone["full_name"] in err and "Traceback" not in err, err
    found = next(t for t in _tasks(folder) if t["id"] == task["id"])
    assert found["responsible_id"] == official["id"]     # nothing changed


@pytest.mark.parametrize(("percent", "start", "end"), [
    ("40", "2026-01", "2026-03"), ("50", "2026-01", "2027-06"), ("50", "2026-05", "2026-03")])
def test_exemption_refusals_name_the_member(demo_dir: Path, percent: str, start: str,
                                            end: str) -> None:
    folder = str(demo_dir)
    member = _one(folder, "official")
    for lang in ("vi", "en"):
        code, _out, err = run("--lang", lang, "dues", "exempt", member["card_number"],
                              "--kind", "reduction", "--percent", percent, "--from", start,
                              "--to", end, "--data-dir", folder)
        assert code == 1 and member["full_name"] in err and "Traceback" not in err, err


def test_exempt_says_what_was_recorded(demo_dir: Path) -> None:
    folder = str(demo_dir)
    member = _one(folder, "official")
    code, out, err = run("dues", "exempt", member["card_number"], "--kind", "reduction",
                         "--percent", "50", "--from", "2026-01", "--to", "2026-06",
                         "--data-dir", folder)
    assert code == 0, err
    assert member["full_name"] in out and "50%" in out and "01/2026" in out \
        and "06/2026" in out, out
    assert re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", out) is None, out


def test_dates_in_dues_messages_read_day_month_year(demo_dir: Path) -> None:
    folder = str(demo_dir)
    gone = _one(folder, "deceased")
    for lang in ("vi", "en"):
        code, _out, err = run("--lang", lang, "dues", "pay", gone["card_number"], "2026-11",
                              "--data-dir", folder)
        assert code == 1 and gone["full_name"] in err, err
        assert ISO_DATE.search(err) is None and re.search(r"\d{2}/\d{2}/\d{4}", err), err
        code, _out, err = run("--lang", lang, "dues", "rates", "add", "--from", "2026-02",
                              "--name", "X", "--data-dir", folder)
        assert code == 1 and "01/02/2026" in err and ISO_DATE.search(err) is None, err


def test_every_command_takes_the_same_month_forms(demo_dir: Path, tmp_path: Path) -> None:
    folder = str(demo_dir)
    for text in ("11/2026", "2026-11", "1/2026"):
        code, out, err = run("report", "month", text, "-o", str(tmp_path / "r.pdf"),
                             "--data-dir", folder)
        assert code == 0, err
        assert re.search(r"\b(11|01)/2026\b", out), out
    code, _out, err = run("dues", "receipts", "11/2026", "-o", str(tmp_path / "r2.pdf"),
                          "--data-dir", folder)
    assert code == 0, err
    for bad in ("2026/11", "13/2026", "tháng 11"):
        code, _out, err = run("report", "month", bad, "-o", str(tmp_path / "x.pdf"),
                              "--data-dir", folder)
        assert code == 1 and f"«{bad}»" in err and "11/2026" in err, err
        code, _out, err = run("dues", "pay", _one(folder, "official")["card_number"], bad,
                              "--data-dir", folder)
        assert code == 1 and f"«{bad}»" in err, err


@pytest.mark.parametrize(("argv", "allowed"), [
    (("book", "2026"), (".pdf", ".xlsx")), (("receipts", "2026-11"), (".pdf",))])
@pytest.mark.parametrize("name", ["x.doc", "x.docx", "x", "x.xlsx"])
def test_paper_suffix_refused_before_writing(demo_dir: Path, tmp_path: Path,
                                             argv: tuple[str, ...], allowed: tuple[str, ...],
                                             name: str) -> None:
    if Path(name).suffix in allowed:
        return
    target = tmp_path / name
    code, _out, err = run("dues", *argv, "-o", str(target), "--data-dir", str(demo_dir))
    assert code == 1 and all(s in err for s in allowed) and "Traceback" not in err, err
    assert not target.exists()


@pytest.mark.parametrize("year", ["99999", "1899", "2101"])
def test_a_year_out_of_range_is_named(demo_dir: Path, tmp_path: Path, year: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("dues", "book", year, "-o", str(tmp_path / "b.pdf")),
                 ("dues", "grid", year)):
        with pytest.raises(SystemExit) as refused:
            run(*argv, "--data-dir", str(demo_dir))
        err = capsys.readouterr().err
        assert refused.value.code == 2 and f"«{year}»" in err and "12/" not in err, err
    assert not (tmp_path / "b.pdf").exists()


def test_a_month_before_any_rate_has_no_dues_part(demo_dir: Path) -> None:
    from sotay_core.domain.dues import Month
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.services.monthly_report import figures

    db = open_database(demo_dir)
    try:
        with db.reads() as session:
            old = figures(session, month=Month(1990, 1), today=Month(2026, 12).first_day)
    finally:
        db.close()
    assert old.dues.owing == 0 and old.dues.collected == 0 and old.dues.unpaid == ()
    code, out, err = run("report", "month", "1990-01", "-o", str(demo_dir / "r.pdf"),
                         "--data-dir", str(demo_dir))
    assert code == 0 and "01/1990" in out, err


def test_task_list_columns_do_not_run_together(demo_dir: Path) -> None:
    folder = str(demo_dir)
    code, out, _ = run("tasks", "list", "--data-dir", folder)
    assert code == 0
    rows = {t["id"]: t for t in _tasks(folder)}
    long = [t for t in rows.values() if len(t["text"]) > 50 and t["responsible"]]
    assert long
    for line in out.splitlines():
        task = next((t for i, t in rows.items() if i in line), None)
        if task is None or not task["responsible"]:
            continue
        before = line.split(task["responsible"][:20])[0]
        assert before.endswith("  "), line
        if task in long:
            assert "…" in before, line


def test_one_reader_of_amounts_for_the_command_line_and_the_dialogs() -> None:
    """'2,5' was read as 25 đ by the payment dialog and refused by the command line: every
    place now reads đồng the same way, grouped thousands only."""
    from sotay_core.domain.errors import ValidationError
    from sotay_core.domain.month_text import parse_amount

    for text, amount in (("25000", 25_000), ("25.000", 25_000), ("25,000", 25_000),
                         ("1 250 000", 1_250_000), ("30.000 đ", 30_000), ("", None),
                         ("-5", -5)):
        assert parse_amount(text) == amount, text
    for text in ("2,5", "1.5", "1e9", "abc", "25.00", "1.2345"):
        with pytest.raises(ValidationError):
            parse_amount(text)
