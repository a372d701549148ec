"""Text that a spreadsheet could take for a formula (CSV and formula injection, OWASP).

A member named "=HYPERLINK(…)" or a note starting with "+", "-" or "@" must open in Excel or
LibreOffice as the text it is, never run. Every XLSX and CSV the app writes goes through here:
the desktop's roster and report exports, the audit CSV, and the server's province report.
Standard library only: the workbook is handled through the attributes openpyxl gives it.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """Text a spreadsheet would read as the start of a formula (numbers never are)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """A CSV field as a spreadsheet should read it: such text gets the leading single quote
    OWASP recommends; numbers, negative ones too, stay numbers."""
    return "'" + value if isinstance(value, str) and formula_like(value) else value


def keep_as_text(workbook: Any) -> int:
    """Store every formula-like text cell of an openpyxl workbook as text; returns how many.

    openpyxl makes a formula of any string that begins with "=", so the cell's type is set to
    text ("s") explicitly; Excel's quote prefix keeps it text when someone edits the cell. What
    the cell shows is unchanged. Call it just before saving.
    """
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    count += 1
    return count
