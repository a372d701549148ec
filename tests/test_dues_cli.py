"""``sotay dues …`` on a copy of the demo branch: a member named by card number or exact
name, payments and their refusals in words (and in English), the grid as JSON, the book as
PDF and XLSX, the receipts, and the dated rates (an overlap refused)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from sotay_desktop.cli import main as sotay


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = sotay(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _grid(folder: str) -> dict:  # type: ignore[type-arg]
    code, out, _ = run("dues", "grid", "2026", "--json", "--data-dir", folder)
    assert code == 0
    return json.loads(out)


def test_pay_by_card_or_name_and_read_the_grid(demo_dir: Path) -> None:
    folder = str(demo_dir)
    _c, listing, _e = run("members", "list", "--json", "--data-dir", folder)
    people = {m["id"]: m for m in json.loads(listing)}
    grid = _grid(folder)
    owing = [m for m in grid["members"] if m["months"][11]["due"] > 0
             and m["months"][11]["paid"] == 0 and people[m["member_id"]]["card_number"]]
    first, second = owing[0], owing[1]
    card = people[first["member_id"]]["card_number"]
    code, out, err = run("dues", "pay", card, "2026-12", "--channel", "portal",
                         "--data-dir", folder)
    assert code == 0, err
    assert "12/2026" in out
    code, out, err = run("dues", "pay", second["name"], "2026-12", "--months", "2",
                         "--data-dir", folder)
    assert code == 0, err
    after = {m["member_id"]: m for m in _grid(folder)["members"]}
    assert after[first["member_id"]]["months"][11]["channel"] == "portal"
    assert after[second["member_id"]]["months"][11]["paid"] == second["months"][11]["due"]
    december = _grid(folder)["totals"][11]
    assert december["collected"] == (grid["totals"][11]["collected"]
                                     + first["months"][11]["due"] + second["months"][11]["due"])
    code, _out, err = run("dues", "pay", card, "2026-12", "--data-dir", folder)
    assert code == 1 and first["name"] in err and "12/2026" in err
    code, _out, err = run("--lang", "en", "dues", "pay", card, "2027-01", "--amount", "-5",
                          "--data-dir", folder)
    assert code == 1 and "must be more than 0" in err and first["name"] in err
    code, _out, _err = run("dues", "cancel", card, "2026-12", "--data-dir", folder)
    assert code == 0
    cancelled = {m["member_id"]: m for m in _grid(folder)["members"]}[first["member_id"]]
    assert cancelled["months"][11]["paid"] == 0


def test_book_receipts_and_rates(demo_dir: Path, tmp_path: Path) -> None:
    folder = str(demo_dir)
    grid = _grid(folder)
    for name in ("so.pdf", "so.xlsx"):
        code, _out, err = run("dues", "book", "2026", "-o", str(tmp_path / name),
                              "--data-dir", folder)
        assert code == 0, err
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "so.pdf").pages)
    assert grid["members"][0]["name"] in " ".join(text.split())
    sheet = load_workbook(tmp_path / "so.xlsx").active
    assert any(grid["members"][0]["name"] == cell.value for row in sheet.iter_rows()
               for cell in row)
    code, _out, err = run("dues", "receipts", "2026-11", "-o", str(tmp_path / "pt.pdf"),
                          "--data-dir", folder)
    assert code == 0, err
    assert len(PdfReader(tmp_path / "pt.pdf").pages) >= 1
    code, out, _err = run("dues", "rates", "list", "--json", "--data-dir", folder)
    assert json.loads(out)["recorded"] is False
    code, _out, err = run("dues", "rates", "add", "--from", "2026-02", "--name", "Lặp",
                          "--data-dir", folder)
    assert code == 1 and "QĐ 01-QĐ/TW" in err
    code, _out, err = run("dues", "rates", "add", "--from", "2027-01", "--name", "Mức 2027",
                          "--retention", "40", "--data-dir", folder)
    assert code == 0, err
    code, out, _err = run("dues", "rates", "list", "--json", "--data-dir", folder)
    versions = json.loads(out)["versions"]
    assert [v["name"] for v in versions][-1] == "Mức 2027" and len(versions) == 3
