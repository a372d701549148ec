"""Remake the roster files under tests/data/roster the way commune offices make them.

Nothing here uses the app's own writer: the sheets are written cell by cell with openpyxl
(merged title rows, a two-row header, a column-index row, a totals row and a signature
block), the Excel 97-2003 copy is made by LibreOffice, and the CSV files are bytes as Excel
on Vietnamese Windows writes them (code page 1258 with combining tone marks, ";" and CRLF).
The makers live in the package tests/roster_files; this script only writes the files.

Run from the repository root:  .venv/bin/python tests/data/roster/make_files.py [FOLDER]
(FOLDER: where to write them; this script's folder by default). The hostile files (zip bomb,
1 GB cell, 16,000 columns) are made by the tests in a temporary folder with
tests/roster_files/hostile.py, not committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))   # the repository root, for the tests package

from tests.roster_files.exports import csv_text, html_xls, to_cp1258, xls_from  # noqa: E402
from tests.roster_files.sheets import (  # noqa: E402
    mau7_xlsx,
    office_xlsx,
    split_name_xlsx,
    wrong_dimension,
)


def main(folder: Path = HERE) -> None:
    office = office_xlsx(folder / "thon_thuong_excel.xlsx")
    wrong_dimension(office, folder / "thon_thuong_dimension_sai.xlsx")
    mau7_xlsx(folder / "mau7_hsdv.xlsx")
    split_name_xlsx(folder / "ho_ten_tach_cot.xlsx")
    html_xls(folder / "xuat_tu_phan_mem_web.xls")
    xls_from(office, folder / "thon_thuong_excel2003.xls")
    xls_from(office, folder / "thon_thuong_libreoffice.xlsx", "xlsx")
    (folder / "thon_thuong_cp1258.csv").write_bytes(to_cp1258(csv_text(";")))
    (folder / "thon_thuong_utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" +
                                                       csv_text(",").encode("utf-8"))
    (folder / "thon_thuong_utf8.csv").write_bytes(csv_text(";").encode("utf-8"))
    print("\n".join(sorted(p.name for p in folder.iterdir() if p.suffix != ".py")),
          file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE)
