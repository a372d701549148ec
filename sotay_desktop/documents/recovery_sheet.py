"""The recovery code on one page in large type, to print and keep in the branch's files."""

from __future__ import annotations

import datetime as dt
import io

from sotay_desktop.documents.fonts import SANS, register_fonts

LINES = (  # short enough for one line each at 18 pt on A4
    "Mã này mở được dữ liệu của chi bộ",
    "khi quên mật khẩu.",
    "Cất bản này vào hồ sơ chi bộ, nơi có khóa.",
    "Không chụp ảnh, không gửi qua mạng,",
    "không để cạnh máy tính.",
    "Ai có mã này đều mở được dữ liệu đảng viên.",
)


def render_recovery_sheet(branch_name: str, code: str, made_on: dt.date) -> bytes:
    """An A4 page: the branch, the date, the code at 30 pt, what to do with it at 18 pt."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle("Mã khôi phục Sổ tay")
    width, height = A4
    y = height - 30 * mm
    page.setFont(f"{SANS}-Bold", 24)
    page.drawCentredString(width / 2, y, "MÃ KHÔI PHỤC SỔ TAY")
    y -= 16 * mm
    page.setFont(SANS, 18)
    page.drawCentredString(width / 2, y, branch_name)
    y -= 10 * mm
    page.drawCentredString(width / 2, y, f"Lập ngày {made_on:%d/%m/%Y}")
    y -= 25 * mm
    page.setFont(f"{SANS}-Bold", 30)
    groups = code.split("-")
    for line in ("-".join(groups[:3]), "-".join(groups[3:])):
        page.drawCentredString(width / 2, y, line)
        y -= 16 * mm
    y -= 10 * mm
    page.setFont(SANS, 18)
    for text in LINES:
        page.drawString(20 * mm, y, text)
        y -= 11 * mm
    page.showPage()
    page.save()
    return buffer.getvalue()
