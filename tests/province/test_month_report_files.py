"""``sotay-server report --month/--year`` (issue 19): the dues and monthly reports of a
month or a year as XLSX and PDF, read back: the figures the tree page shows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync_server.cli import main
from tests.province.month_support import month_data

pytestmark = pytest.mark.server


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_the_month_and_year_reports_read_back(env, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    ids, db = env["ids"], env["settings"].db
    month_data(env)
    xlsx, pdf = tmp_path / "thang.xlsx", tmp_path / "thang.pdf"
    assert main(["--db", db, "report", "--unit", ids["p"], "--month", "2025-11",
                 "-o", str(xlsx)]) == 0
    assert "đảng phí đã thu 57000 đ, 1 báo cáo tháng đã gửi" in capsys.readouterr().out
    book = load_workbook(xlsx)
    rows = [[c.value for c in r] for r in book["Tổng hợp"].iter_rows()]
    assert rows[0][0] == "Đảng phí và báo cáo tháng 11/2025 — Tỉnh ủy Thái Bình"
    by_name = {r[0]: r[1:] for r in rows[2:]}
    assert by_name["Đảng ủy xã An Hòa"][:5] == [52_000, 15_600, 36_400, 2, 1]
    assert by_name["Đảng ủy xã An Hòa"][5] == "1/2 đã gửi, 0 đã nhận"
    # b3's book begins in November, so only b1's Bình has 3+ unpaid months
    assert by_name["Toàn Tỉnh ủy Thái Bình"][:5] == [57_000, 18_100, 38_900, 3, 1]
    branches = {r[0].value: [c.value for c in r[1:]] for r in book["Từng chi bộ"].iter_rows(
        min_row=2)}
    assert branches["Đảng ủy xã An Hòa / Chi bộ thôn Đông"][5:] == ["Đã gửi, chưa nhận",
                                                                 "92 (Tốt)"]
    assert branches["Đảng ủy xã Bình Minh / Chi bộ thôn Nam"][:3] == [5_000, 2_500, 2_500]
    assert sum(v[0] for v in branches.values()) == 57_000      # the branches add up
    months = [[c.value for c in r] for r in book["12 tháng"].iter_rows(min_row=2)]
    assert months[-1] == ["11/2025", "2/3", "100 %", 57_000] and len(months) == 12
    assert main(["--db", db, "report", "--unit", ids["c1"], "--month", "2025-11",
                 "-o", str(pdf)]) == 0
    text = _pdf_text(pdf)
    assert "Chi bộ thôn Đông" in text and "52.000 đ" in text and "36.400 đ" in text
    assert "Mười hai tháng" in text and "Chi bộ đã sinh hoạt" in text   # the chart's heads
    year = tmp_path / "nam.xlsx"
    assert main(["--db", db, "report", "--unit", ids["p"], "--year", "2025",
                 "-o", str(year)]) == 0
    rows = [[c.value for c in r] for r in load_workbook(year)["Tổng hợp"].iter_rows()]
    by_name = {r[0]: r[1:] for r in rows[2:]}
    assert by_name["Tháng 11/2025"][:3] == [57_000, 18_100, 38_900]
    assert by_name["Tháng 10/2025"][:3] == [50_000, 15_000, 35_000]
    assert by_name["Cả năm 2025"][0] == 50_000 * 11 + 2_000 + 5_000
    assert by_name["Cả năm 2025"][4] == 1       # as of December: b1's Bình (b3's book began in Nov)
    capsys.readouterr()
