"""The meeting's documents as PartyDocuments: minutes (biên bản), resolution (nghị quyết),
invitation (giấy mời) and attendance sheet. The fixed official wording lives here."""

from __future__ import annotations

import re

from sotay_core.domain.entities import Attendance
from sotay_core.domain.rules import Voter, voting_base
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
from sotay_desktop.documents.meeting_data import Attendee, MeetingData, require_names

RECIPIENTS = ("Đảng ủy xã (b/c)", "Đảng viên trong chi bộ", "Lưu chi bộ")


def _clock(text: str) -> str:
    """"19:30" -> "19 giờ 30 phút"."""
    if ":" not in text:
        return text or "… giờ … phút"
    hours, minutes = text.split(":", 1)
    return f"{int(hours)} giờ {int(minutes):02d} phút"


def _date_words(data: MeetingData) -> str:
    d = data.date
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


# "Đồng chí", "đ/c", "Đ.c" … typed before a speaker's name: the line adds its own.
_HONORIFIC = re.compile(r"^\s*(đồng\s+chí|đ\s*[/.]\s*c\.?)\s*[:,]?\s+", re.IGNORECASE)
_BRACKETS = "()[]{}"


def without_honorific(name: str) -> str:
    """"Đồng chí Nguyễn Văn An" -> "Nguyễn Văn An" (the paper writes "Đồng chí" itself)."""
    return _HONORIFIC.sub("", name.strip(), count=1).strip()


def bare_reason(reason: str) -> str:
    """An absence's reason without the brackets people type around it: "(ốm)" -> "ốm"."""
    text = reason.strip()
    while len(text) >= 2 and text[0] in "([{" and text[-1] in ")]}":
        text = text[1:-1].strip()
    return text.strip(_BRACKETS + " ")


def _names(people: list[Attendee], with_reason: bool = False) -> str:
    """Names for inside one pair of brackets: reasons after a dash, never nested brackets."""
    if not people:
        return ""
    if with_reason:
        return "; ".join(f"{p.name} – {bare_reason(p.reason)}" if bare_reason(p.reason)
                         else p.name for p in people)
    return ", ".join(p.name for p in people)


_TITLE_MONTH = re.compile(r"tháng\s+(\d{1,2})\b", re.IGNORECASE)


def results_month(data: MeetingData) -> int:
    """The month whose results the resolution reviews: the one the meeting's title names
    ("Sinh hoạt chi bộ tháng 11 năm 2026"), else the month of the meeting."""
    found = _TITLE_MONTH.search(data.title)
    if found and 1 <= int(found.group(1)) <= 12:
        return int(found.group(1))
    return data.date.month


def counts(data: MeetingData) -> dict[str, int]:
    people = data.attendees
    base = voting_base(Voter(str(i), p.official, p.attendance) for i, p in enumerate(people))
    return {
        "total": len(people),
        "official": sum(1 for p in people if p.official),
        "probationary": sum(1 for p in people if not p.official),
        "present": sum(1 for p in people if p.attendance is Attendance.PRESENT),
        "called": sum(1 for p in people
                      if p.attendance not in (Attendance.EXEMPTED, Attendance.AWAY)),
        "base": base,
    }


def _header(data: MeetingData, number: str = "") -> Header:
    return Header(superior=data.superior, issuer=data.branch, number=number,
                  place=data.place_name, date=data.date)


def build_minutes(data: MeetingData, settings: FormatSettings | None = None) -> PartyDocument:
    require_names(data)
    by = {kind: [p for p in data.attendees if p.attendance is kind] for kind in Attendance}
    c = counts(data)
    blocks: list[Para | Heading | Table] = [
        Para(f"Thời gian: bắt đầu lúc {_clock(data.starts_at)}, {_date_words(data)}."),
        Para(f"Địa điểm: {data.location}."),
        Heading("I. THÀNH PHẦN"),
        Para(f"Tổng số đảng viên của chi bộ: {c['total']} đồng chí (chính thức {c['official']}, "
             f"dự bị {c['probationary']})."),
    ]
    if by[Attendance.EXEMPTED]:
        blocks.append(Para(f"Miễn công tác và sinh hoạt: {len(by[Attendance.EXEMPTED])} đồng chí"
                           f" ({_names(by[Attendance.EXEMPTED])})."))
    if by[Attendance.AWAY]:
        blocks.append(Para(f"Chuyển sinh hoạt tạm thời nơi khác: {len(by[Attendance.AWAY])} "
                           f"đồng chí ({_names(by[Attendance.AWAY])})."))
    blocks.append(Para(f"Có mặt: {c['present']} đồng chí."))
    excused, unexcused = by[Attendance.ABSENT_EXCUSED], by[Attendance.ABSENT_UNEXCUSED]
    blocks.append(Para(f"Vắng có lý do: {len(excused)} đồng chí"
                       + (f" ({_names(excused, with_reason=True)})." if excused else ".")))
    blocks.append(Para(f"Vắng không có lý do: {len(unexcused)} đồng chí"
                       + (f" ({_names(unexcused)})." if unexcused else ".")))
    if data.guests:
        blocks.append(Para(f"Khách mời: {data.guests}."))
    blocks += [Para(f"Chủ trì: đồng chí {data.chair}. Thư ký: đồng chí {data.recorder}."),
               Heading("II. NỘI DUNG")]
    for number, item in enumerate(data.agenda, start=1):
        blocks.append(Para(f"{number}. {item}"))
    if data.review:
        blocks.append(Heading("Kiểm điểm việc thực hiện nghị quyết tháng trước"))
        blocks += [Para(line) for line in data.review]
    if data.speakers:
        blocks.append(Heading("Ý kiến phát biểu"))
        blocks += [Para(f"- Đồng chí {without_honorific(s.name)}: {s.gist}")
                   for s in data.speakers]
    if data.conclusion:
        blocks += [Heading("Kết luận của chủ trì"), Para(data.conclusion)]
    blocks.append(Heading("III. BIỂU QUYẾT"))
    if data.votes_for is not None:
        against = data.votes_against or 0
        blocks.append(Para(
            f"Số đảng viên có quyền biểu quyết: {c['base']} đồng chí. Tán thành: "
            f"{data.votes_for}/{c['base']} đồng chí ({_percent(data.votes_for, c['base'])}); "
            f"không tán thành: {against}/{c['base']} đồng chí "
            f"({_percent(against, c['base'])})."))
    else:
        blocks.append(Para(f"Số đảng viên có quyền biểu quyết: {c['base']} đồng chí. "
                           "Chưa ghi kết quả biểu quyết."))
    if data.score is not None:
        blocks.append(Para(f"Chi bộ tự đánh giá chất lượng buổi sinh hoạt: đạt "
                           f"{data.score.total}/{data.score.max_total} điểm, xếp loại "
                           f"{data.score.grade}."))
    blocks.append(Para(f"Buổi sinh hoạt kết thúc lúc {_clock(data.ends_at)} cùng ngày. "
                       "Biên bản đã được đọc lại trước chi bộ và được thông qua."))
    return PartyDocument(
        header=_header(data),
        kind="BIÊN BẢN",
        summary=f"{data.title[0].lower()}{data.title[1:]}" if data.title else "",
        blocks=tuple(blocks),
        closing=Closing(signatures=(Signature("", "THƯ KÝ", data.recorder),
                                    Signature("", "CHỦ TRÌ", data.chair))),
        settings=settings or FormatSettings(),
    )


def build_resolution(data: MeetingData, settings: FormatSettings | None = None) -> PartyDocument:
    resolution = data.resolution
    if resolution is None:
        raise ValueError("meeting has no resolution")
    require_names(data)
    c = counts(data)
    blocks: list[Para | Heading | Table] = [
        Para(f"{data.branch} họp ngày {data.date.strftime('%d/%m/%Y')}, có {c['present']}/"
             f"{c['called']} đảng viên được triệu tập dự họp, đã thảo luận và"),
        Heading("QUYẾT NGHỊ:", align="center"),
        Heading(f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG {results_month(data)}"),
        *(Para(text) for text in resolution.results.split("\n") if text.strip()),
        Heading("II. NHIỆM VỤ VÀ GIẢI PHÁP"),
    ]
    for number, task in enumerate(resolution.tasks, start=1):
        who = f" (Phụ trách: {task.responsible})" if task.responsible else ""
        blocks.append(Para(f"{number}. {task.text}{who}"))
    blocks += [Heading("III. TỔ CHỨC THỰC HIỆN"),
               *(Para(t) for t in resolution.implementation.split("\n") if t.strip())]
    if resolution.votes_for is not None:
        blocks.append(Para(
            f"Nghị quyết được {resolution.votes_for}/{c['base']} đồng chí có quyền biểu quyết "
            f"tán thành ({_percent(resolution.votes_for, c['base'])})."))
    return PartyDocument(
        header=_header(data, f"Số {resolution.number}" if resolution.number else ""),
        kind="NGHỊ QUYẾT" if resolution.adopted else "DỰ THẢO NGHỊ QUYẾT",
        summary=resolution.summary,
        blocks=tuple(blocks),
        closing=Closing(recipients=RECIPIENTS,
                        signatures=(Signature("T/M CHI BỘ", "BÍ THƯ", data.secretary),)),
        settings=settings or FormatSettings(),
    )


def build_invitation(data: MeetingData, settings: FormatSettings | None = None) -> PartyDocument:
    require_names(data)
    blocks: list[Para | Heading | Table] = [
        Para(f"{data.branch} trân trọng kính mời đồng chí đảng viên tới dự "
             f"{data.title[0].lower()}{data.title[1:]}."),
        Para(f"Thời gian: {_clock(data.starts_at)}, {_date_words(data)}."),
        Para(f"Địa điểm: {data.location}."),
        Para("Nội dung:"),
        *(Para(f"{n}. {item}", indent=True) for n, item in enumerate(data.agenda, start=1)),
        Para("Đề nghị các đồng chí đến đúng giờ; trường hợp vắng mặt báo cáo bí thư chi bộ "
             "và nêu rõ lý do."),
    ]
    return PartyDocument(
        header=_header(data), kind="GIẤY MỜI", summary="", blocks=tuple(blocks),
        closing=Closing(recipients=("Như trên", "Lưu chi bộ"),
                        signatures=(Signature("T/M CHI BỘ", "BÍ THƯ", data.secretary),)),
        settings=settings or FormatSettings(),
    )


ATTENDANCE_WORDS = {
    Attendance.PRESENT: "Có mặt",
    Attendance.ABSENT_EXCUSED: "Vắng có lý do",
    Attendance.ABSENT_UNEXCUSED: "Vắng không lý do",
    Attendance.EXEMPTED: "Miễn sinh hoạt",
    Attendance.AWAY: "Sinh hoạt tạm thời nơi khác",
}


def build_attendance_sheet(data: MeetingData,
                           settings: FormatSettings | None = None) -> PartyDocument:
    require_names(data)
    rows = tuple(
        (str(n), p.name, "Chính thức" if p.official else "Dự bị",
         ATTENDANCE_WORDS[p.attendance] + (f": {bare_reason(p.reason)}"
                                           if bare_reason(p.reason) else ""), "")
        for n, p in enumerate(data.attendees, start=1))
    c = counts(data)
    return PartyDocument(
        header=_header(data),
        kind="DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT",
        summary=f"{data.title[0].lower()}{data.title[1:]}" if data.title else "",
        blocks=(Table(("STT", "Họ và tên", "Đảng viên", "Tình hình dự họp", "Ký tên"), rows,
                      widths=(1, 5, 2.4, 4, 2.4),
                      align=("center", "left", "left", "left", "left"),
                      nowrap=(True, True, True, False, False)),
                Para(f"Tổng số: {c['total']} đồng chí; có mặt {c['present']}; số có quyền biểu "
                     f"quyết {c['base']}.", indent=False)),
        closing=Closing(signatures=(Signature("", "THƯ KÝ", data.recorder),
                                    Signature("", "CHỦ TRÌ", data.chair))),
        settings=settings or FormatSettings(),
    )
