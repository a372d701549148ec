"""What other programs save: LibreOffice's .xls and .xlsx, Excel's CSV on Vietnamese Windows
(code page 1258, combining tones, ";" and CRLF), and web software's ".xls" (an HTML table)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from tests.roster_files.members import MEMBERS, SIGNERS, typed_birth, vn_date

# --- Excel 97-2003 (.xls), made by LibreOffice from the office list ---------------------------


def xls_from(source: Path, path: Path, kind: str = "xls") -> Path:
    """``source`` saved by LibreOffice as ``kind`` (xls: Excel 97-2003; xlsx: shared strings
    and number formats as a spreadsheet program writes them, unlike openpyxl's inline text)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the .xls file")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", kind, "--outdir", str(out), str(source)],
                       check=True, capture_output=True, timeout=180)
        shutil.copyfile(out / f"{source.stem}.{kind}", path)
    return path


# --- CSV as Excel on Vietnamese Windows saves it ---------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Code page 1258 keeps â ê ô ơ ư ă đ whole and writes the tone as a combining mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in _TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def csv_text(sep: str) -> str:
    lines = ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG" + sep * 6,
             sep.join(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên",
                       "Ngày vào Đảng", "Ngày chính thức"])]
    for i, (name, born, gender, card, admitted, official, _home) in enumerate(MEMBERS):
        typed = typed_birth(i)
        if not isinstance(typed, str):
            typed = born.strftime("%d/%m/%Y")
        lines.append(sep.join([str(i + 1), name, typed, gender, card, vn_date(admitted),
                               vn_date(official)]))
    lines.append(sep.join(["Tổng số: 13 đồng chí", "", "", "", "", "", ""]))
    lines.append(sep.join(["", "", "", "", "T/M CHI BỘ", "", ""]))
    lines.append(sep.join(["", "", "", "", "BÍ THƯ", "", ""]))
    lines.append(sep.join(["", "", "", "", SIGNERS[1], "", ""]))
    return "\r\n".join(lines) + "\r\n"


# --- an ".xls" exported by web software: an HTML table ------------------------------------


def html_xls(path: Path) -> Path:
    """What "Xuất Excel" of many web systems saves: HTML with a title table, then the list
    with rowspan/colspan headings, named .xls (Excel opens it with a warning)."""
    from html import escape

    out = ['<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>',
           '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>',
           '<table><tr><td colspan="7"><b>DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG</b></td></tr>'
           '</table>', '<table border="1">',
           '<tr><th rowspan="2">STT</th><th rowspan="2">Họ và tên</th><th rowspan="2">'
           'Ngày sinh</th><th rowspan="2">Giới tính</th><th colspan="2">Ngày vào Đảng</th>'
           '<th rowspan="2">Số thẻ đảng viên</th></tr>',
           "<tr><th>Dự bị</th><th>Chính thức</th></tr>"]
    for i, (name, born, gender, card, admitted, official, _home) in enumerate(MEMBERS):
        cells = [str(i + 1), escape(name), born.strftime("%d/%m/%Y"), gender, vn_date(admitted),
                 vn_date(official), card]
        out.append("<tr>" + "".join(f'<td style="mso-number-format:\\@">{c}</td>'
                                    for c in cells) + "</tr>")
    out.append('<tr><td colspan="7">Tổng số: 13 đồng chí</td></tr></table>')
    out.append(f"<p>T/M CHI BỘ<br>BÍ THƯ<br><br>{SIGNERS[1]}</p></body></html>")
    path.write_text("\r\n".join(out), encoding="utf-8")
    return path
