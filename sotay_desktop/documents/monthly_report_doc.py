"""The monthly report to the commune as a Party document (HD 36): "BÁO CÁO Kết quả thực hiện
nhiệm vụ tháng …", numbered "Số …-BC/CB", with the month's figures in sentences and small
tables, the secretary's remarks, "Nơi nhận" and the signature T/M CHI BỘ / BÍ THƯ.

Plain data in (``ReportPaper``), a ``PartyDocument`` out, rendered by ``docx_render`` and
``pdf_render`` like the meeting's papers. The fixed official wording lives here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sotay_core.domain import monthly_report as mr
from sotay_core.domain.dues import Month
from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.layout import (
    Closing,
    FormatSettings,
    Header,
    Heading,
    Para,
    PartyDocument,
    Signature,
    Table,
)

FORMATS = ("pdf", "docx")
RECIPIENTS = ("Đảng ủy xã (b/c)", "Lưu chi bộ")

EVENT_WORDS = {
    EventKind.ADMITTED: "Kết nạp đảng viên",
    EventKind.MADE_OFFICIAL: "Công nhận đảng viên chính thức",
    EventKind.EXEMPTED: "Miễn công tác và sinh hoạt",
    EventKind.EXEMPTION_ENDED: "Thôi miễn công tác và sinh hoạt",
    EventKind.TRANSFERRED_IN: "Chuyển sinh hoạt đảng chính thức đến",
    EventKind.TRANSFERRED_OUT: "Chuyển sinh hoạt đảng chính thức đi",
    EventKind.TEMP_IN: "Sinh hoạt tạm thời đến",
    EventKind.TEMP_IN_ENDED: "Hết sinh hoạt tạm thời",
    EventKind.TEMP_OUT: "Chuyển sinh hoạt tạm thời đi",
    EventKind.RETURNED: "Trở về sinh hoạt tại chi bộ",
    EventKind.RESIDENCE_CONTACT: "Giữ mối liên hệ với nơi cư trú",
    EventKind.DISCIPLINED: "Kỷ luật",
    EventKind.DECEASED: "Từ trần",
    EventKind.STRUCK_OFF: "Xoá tên",
    EventKind.EXPELLED: "Khai trừ",
    EventKind.LEFT: "Ra khỏi Đảng",
}
FLAG_WORDS = {"warn": "Chưa đóng 2 tháng: nhắc nhở",
              "strike_off": "Từ 3 tháng trở lên: xem xét xoá tên"}


@dataclass(frozen=True, slots=True)
class ReportPaper:
    superior: str          # Đảng bộ xã Tân Lập
    branch: str            # Chi bộ thôn Đông Hòa
    place_name: str        # Tân Lập
    date: dt.date          # the day it was sent, else the day it is printed
    figures: mr.ReportFigures
    remarks: str
    secretary: str         # the bí thư in office on ``date``, who signs


# An unsaved report's number, left blank for the hand (non-breaking: the PDF keeps them).
BLANK_NUMBER = "Số" + "\u00a0" * 8 + "-BC/CB"

def money(amount: int) -> str:
    """120000 -> "120.000 đồng"."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _month_words(month: Month) -> str:
    return f"tháng {month.month} năm {month.year}"


def _members(f: mr.ReportFigures) -> list[Para | Heading | Table]:
    n = f.numbers
    blocks: list[Para | Heading | Table] = [Heading("I. TÌNH HÌNH ĐẢNG VIÊN"), Para(
        f"Tổng số đảng viên của chi bộ đến cuối tháng: {f.total_members} đồng chí, gồm: "
        f"chính thức {n.get(MemberStatus.OFFICIAL, 0)}, dự bị "
        f"{n.get(MemberStatus.PROBATIONARY, 0)}, miễn công tác và sinh hoạt "
        f"{n.get(MemberStatus.EXEMPTED, 0)}, chuyển sinh hoạt tạm thời nơi khác "
        f"{n.get(MemberStatus.AWAY, 0)}.")]
    if f.temporary:
        blocks.append(Para(f"Đảng viên nơi khác sinh hoạt tạm thời tại chi bộ: {f.temporary} "
                           "đồng chí."))
    if not f.changes:
        blocks.append(Para("Trong tháng không có biến động về đảng viên."))
        return blocks
    blocks.append(Para(f"Biến động trong tháng: {len(f.changes)} trường hợp, cụ thể:"))
    blocks.append(Table(
        ("STT", "Họ và tên", "Nội dung", "Ngày"),
        tuple((str(i), c.name, EVENT_WORDS.get(c.kind, c.kind.value)
               + (f" ({c.detail})" if c.detail else ""), _day(c.date))
              for i, c in enumerate(f.changes, start=1)),
        widths=(1, 4.5, 6, 2.5), align=("center", "left", "left", "center"),
        nowrap=(True, True, False, True)))
    return blocks


def _meeting(f: mr.ReportFigures) -> list[Para | Heading | Table]:
    blocks: list[Para | Heading | Table] = [Heading("II. SINH HOẠT CHI BỘ")]
    meeting = f.meeting
    if meeting is None:
        blocks.append(Para("Trong tháng chi bộ không tổ chức sinh hoạt thường kỳ."))
        return blocks
    a = meeting.attendance
    text = (f"Chi bộ tổ chức sinh hoạt thường kỳ ngày {_day(meeting.date)}. Có mặt "
            f"{a.present}/{a.called} đồng chí được triệu tập ({_percent(a.present, a.called)})")
    absent = []
    if a.absent_excused:
        names = ", ".join(a.absent_excused_names)
        absent.append(f"vắng có lý do {a.absent_excused}" + (f" ({names})" if names else ""))
    if a.absent_unexcused:
        names = ", ".join(a.absent_unexcused_names)
        absent.append(f"vắng không có lý do {a.absent_unexcused}"
                      + (f" ({names})" if names else ""))
    text += ("; " + "; ".join(absent) if absent else "; không có đồng chí nào vắng") + "."
    apart = [f"{words} {count}" for count, words in (
        (a.exempted, "miễn sinh hoạt"), (a.away, "sinh hoạt tạm thời nơi khác")) if count]
    if apart:
        text += f" Không triệu tập: {', '.join(apart)} đồng chí."
    blocks.append(Para(text))
    r = meeting.resolution
    if r is None:
        blocks.append(Para("Buổi sinh hoạt chưa ban hành nghị quyết."))
    elif r.adopted and r.votes_for is not None:
        number = f" số {r.number}" if r.number else ""
        blocks.append(Para(
            f"Chi bộ đã biểu quyết thông qua Nghị quyết{number} {r.title}. Số đảng viên có "
            f"quyền biểu quyết: {r.voting_base} đồng chí; tán thành {r.votes_for}/"
            f"{r.voting_base} ({_percent(r.votes_for, r.voting_base)}), không tán thành "
            f"{r.votes_against or 0}/{r.voting_base}."))
    else:
        blocks.append(Para(f"Dự thảo nghị quyết {r.title} chưa được biểu quyết thông qua."))
    if f.score is not None:
        grade = f", xếp loại {f.score.grade}" if f.score.grade else ""
        blocks.append(Para(f"Chất lượng buổi sinh hoạt: chi bộ tự chấm {f.score.total} điểm"
                           f"{grade}."))
    return blocks


def _tasks(f: mr.ReportFigures) -> list[Para | Heading | Table]:
    t = f.tasks
    blocks: list[Para | Heading | Table] = [
        Heading("III. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        Para(f"Nhiệm vụ hoàn thành trong tháng: {t.done}; đang thực hiện: {t.in_progress}; "
             f"quá hạn chưa hoàn thành: {t.overdue}.")]
    if t.overdue_list:
        blocks.append(Table(
            ("STT", "Nhiệm vụ quá hạn", "Người phụ trách", "Thời hạn"),
            tuple((str(i), line.text, line.person, _day(line.due_on))
                  for i, line in enumerate(t.overdue_list, start=1)),
            widths=(1, 7, 3.5, 2.5), align=("center", "left", "left", "center"),
            nowrap=(True, False, False, True)))
    return blocks


def _dues(f: mr.ReportFigures) -> list[Para | Heading | Table]:
    d = f.dues
    blocks: list[Para | Heading | Table] = [
        Heading("IV. THU, NỘP ĐẢNG PHÍ"),
        Para(f"Số đảng viên phải đóng đảng phí: {d.owing}; đã đóng: {d.payers}. Tổng số thu: "
             f"{money(d.collected)}; chi bộ được trích giữ lại: {money(d.retained)}; nộp cấp "
             f"trên: {money(d.sent_up)}.")]
    if d.unpaid:
        blocks.append(Para("Đảng viên chưa đóng đảng phí:"))
        blocks.append(Table(
            ("STT", "Họ và tên", "Các tháng chưa đóng trong năm", "Ghi chú"),
            tuple((str(i), u.name, month_list(u.months),
                   FLAG_WORDS.get(u.flag, "")) for i, u in enumerate(d.unpaid, start=1)),
            widths=(1, 4.5, 4.5, 4.5), align=("center", "left", "left", "left"),
            nowrap=(True, True, False, False)))
    return blocks


def month_list(keys: tuple[str, ...]) -> str:
    """("2026-01", "2026-02", "2026-03", "2026-05") -> "1–3, 5/2026": runs of three or
    more as a range, each year once."""
    by_year: dict[str, list[int]] = {}
    for key in keys:
        year, _, month = key.partition("-")
        if month.isdigit():
            by_year.setdefault(year, []).append(int(month))
    parts = []
    for year, months in by_year.items():
        runs: list[list[int]] = []
        for number in sorted(set(months)):
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        words = [f"{run[0]}–{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run))
                 for run in runs]
        parts.append(f"{', '.join(words)}/{year}")
    return "; ".join(parts)


def build_report(paper: ReportPaper, settings: FormatSettings | None = None) -> PartyDocument:
    if not paper.secretary.strip():
        raise DomainError("report.no_signer", day=paper.date.strftime("%d/%m/%Y"))
    f = paper.figures
    remarks = [line for line in paper.remarks.split("\n") if line.strip()]
    blocks = [*_members(f), *_meeting(f), *_tasks(f), *_dues(f),
              Heading("V. NHẬN XÉT, ĐỀ XUẤT, KIẾN NGHỊ"),
              *(Para(line) for line in (remarks or ["Không có."]))]
    return PartyDocument(
        header=Header(superior=paper.superior, issuer=paper.branch,
                      number=f"Số {f.number}" if f.number else BLANK_NUMBER,
                      place=paper.place_name, date=paper.date),
        kind="BÁO CÁO",
        summary=f"Kết quả thực hiện nhiệm vụ {_month_words(f.month)}",
        blocks=tuple(blocks),
        closing=Closing(recipients=RECIPIENTS,
                        signatures=(Signature("T/M CHI BỘ", "BÍ THƯ", paper.secretary),)),
        settings=settings or FormatSettings())


def render_report(paper: ReportPaper, fmt: str) -> bytes:
    """The report's DOCX or PDF bytes; refuses an unknown format or a paper without a signer."""
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=fmt, choices=", ".join(FORMATS))
    document = build_report(paper)
    if fmt == "docx":
        from sotay_desktop.documents.docx_render import render_docx

        return render_docx(document)
    from sotay_desktop.documents.pdf_render import render_pdf

    return render_pdf(document)
