"""The branch's own papers of a candidate's dossier, in HD 36 format, from the record:

- 6-KNĐ: the branch's resolution proposing admission, with the vote against the official
  members on the roster that day;
- 13-KNĐ: the branch's resolution proposing full membership, with its vote and the day full
  membership counts from;
- the dossier's checklist (danh mục hồ sơ): each form of HD 12-HD/BTCTW (2022) done or
  missing. The form numbers are UNCONFIRMED for 2022 (shared/reference/domain.md §12).

Plain data in (``AdmissionPaper``), a ``PartyDocument`` out, rendered by ``docx_render`` /
``pdf_render`` like the meeting's papers. The fixed official wording lives here; what the
meeting said of the candidate (strengths, shortcomings) is the step's own text, else dotted
lines for the hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sotay_core.domain.admission import Step
from sotay_core.domain.errors import DomainError
from sotay_core.i18n import t
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

KINDS = ("proposal", "official", "checklist")
FORMATS = ("pdf", "docx")
RECIPIENTS = ("Đảng ủy xã (b/c)", "Lưu chi bộ")
DOTS = "…" * 34          # one line of the body for the hand
BLANK_NUMBER = "Số" + "\u00a0" * 8 + "-NQ/CB"


@dataclass(frozen=True, slots=True)
class PaperStep:
    done_on: dt.date
    number: str = ""
    issuer: str = ""
    detail: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    voting_base: int | None = None


@dataclass(frozen=True, slots=True)
class Numbers:
    """The branch's members on a resolution's day: on the roster, official, probationary."""

    total: int
    official: int
    probationary: int


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    code: str             # "6-KNĐ", or "" for a paper without a form number
    title: str
    done_on: dt.date | None
    number: str = ""


@dataclass(frozen=True, slots=True)
class AdmissionPaper:
    superior: str                    # Đảng bộ xã Tân Lập
    branch: str                      # Chi bộ thôn Đông Hòa
    place_name: str                  # Tân Lập
    made_on: dt.date                 # the day the paper is made (the checklist's date)
    full_name: str
    gender: str | None               # "male" / "female"
    date_of_birth: dt.date | None
    residence: str
    occupation: str
    sponsors: tuple[str, ...]
    steps: dict[Step, PaperStep]
    numbers: dict[Step, Numbers]     # on each resolution's day
    signers: dict[Step, str]         # the bí thư in office on each resolution's day ("")
    secretary: str                   # the bí thư in office on ``made_on``
    official_from: dt.date | None
    checklist: tuple[ChecklistLine, ...]


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _words(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


def committee(superior: str) -> str:
    """Who decides: "Đảng bộ xã Tân Lập" -> "Đảng ủy xã Tân Lập" (the committee of the
    body above), or "cấp ủy cấp trên" when the folder names none."""
    text = superior.strip()
    if not text:
        return "cấp ủy cấp trên"
    for body in ("Đảng bộ", "đảng bộ"):
        if text.startswith(body):
            return "Đảng ủy" + text[len(body):]
    return text


def _who(paper: AdmissionPaper) -> str:
    parts = [paper.full_name]
    if paper.date_of_birth:
        parts.append(f"sinh ngày {_day(paper.date_of_birth)}")
    if paper.residence:
        parts.append(f"nơi cư trú: {paper.residence}")
    if paper.occupation:
        parts.append(f"nghề nghiệp: {paper.occupation}")
    return ", ".join(parts)


def _header(paper: AdmissionPaper, day: dt.date, number: str) -> Header:
    return Header(superior=paper.superior, issuer=paper.branch,
                  number=f"Số {number}" if number else BLANK_NUMBER,
                  place=paper.place_name, date=day)


def _step(paper: AdmissionPaper, step: Step) -> PaperStep:
    found = paper.steps.get(step)
    if found is None:
        raise DomainError("admission_app.paper_no_step", name=paper.full_name,
                          step=t(f"admission_app.step_{step.value}"))
    return found


def _signer(paper: AdmissionPaper, step: Step, day: dt.date) -> str:
    name = paper.signers.get(step, "")
    if not name.strip():
        raise DomainError("admission_app.no_signer", day=_day(day))
    return name


def _numbers(paper: AdmissionPaper, step: Step, taken: PaperStep) -> list[Para]:
    n = paper.numbers.get(step)
    lines = []
    if n is not None:
        lines.append(Para(f"Tổng số đảng viên của chi bộ: {n.total} đồng chí, trong đó chính "
                          f"thức {n.official} đồng chí, dự bị {n.probationary} đồng chí."))
    lines += [Para("Có mặt: …… đồng chí, trong đó chính thức …… đồng chí, dự bị …… đồng chí."),
              Para("Vắng mặt: …… đồng chí, trong đó chính thức …… đồng chí, dự bị …… đồng "
                   "chí. Lý do vắng mặt: " + "…" * 12)]
    return lines


def _remarks(taken: PaperStep) -> list[Para]:
    lines = [line for line in taken.detail.split("\n") if line.strip()]
    return [Para(line) for line in lines] or [Para(DOTS, indent=False) for _ in range(3)]


def _vote(paper: AdmissionPaper, step: Step, taken: PaperStep, what: str) -> list[Para]:
    base = taken.voting_base or 0
    yes = taken.votes_for or 0
    no = taken.votes_against or 0
    n = paper.numbers.get(step)
    apart = n.official - base if n is not None else 0
    lines = [Para(f"Số đảng viên chính thức có quyền biểu quyết: {base} đồng chí"
                  + (f" (không tính {apart} đồng chí được miễn công tác và sinh hoạt đảng hoặc "
                     "đang sinh hoạt tạm thời nơi khác)" if apart > 0 else "") + "."),
             Para(f"Số đảng viên chính thức tán thành việc {what}: {yes}/{base} đồng chí "
                  f"(đạt {_percent(yes, base)}); không tán thành: {no}/{base} đồng chí "
                  f"({_percent(no, base)}).")]
    return lines


def build_proposal(paper: AdmissionPaper, settings: FormatSettings | None = None
                   ) -> PartyDocument:
    """6-KNĐ: Nghị quyết đề nghị kết nạp đảng viên."""
    taken = _step(paper, Step.BRANCH_RESOLUTION)
    signer = _signer(paper, Step.BRANCH_RESOLUTION, taken.done_on)
    sponsors = " và ".join(f"đồng chí {name}" for name in paper.sponsors if name)
    blocks: list[Para | Heading | Table] = [
        Para("Căn cứ Điều 4 Điều lệ Đảng Cộng sản Việt Nam và các quy định, hướng dẫn của "
             "Trung ương về công tác kết nạp đảng viên,", italic=True),
        Para(f"{_words(taken.done_on).capitalize()}, {paper.branch} đã họp để xét, đề nghị "
             f"kết nạp quần chúng {_who(paper)} vào Đảng Cộng sản Việt Nam."),
        *_numbers(paper, Step.BRANCH_RESOLUTION, taken),
        Para("Sau khi nghe báo cáo đơn xin vào Đảng, lý lịch của người xin vào Đảng, giấy "
             "giới thiệu của đảng viên chính thức"
             + (f" ({sponsors})" if sponsors else "")
             + ", bản tổng hợp ý kiến nhận xét của các đoàn thể chính trị - xã hội và chi ủy "
               "nơi cư trú, chi bộ thảo luận và thống nhất kết luận:"),
        Heading("1. Những ưu điểm, khuyết điểm chính"),
        *_remarks(taken),
        Heading("2. Kết quả biểu quyết"),
        *_vote(paper, Step.BRANCH_RESOLUTION, taken,
               f"kết nạp quần chúng {paper.full_name} vào Đảng"),
        Heading("QUYẾT NGHỊ:", align="center"),
        Para(f"Đề nghị {committee(paper.superior)} xem xét, quyết định kết nạp quần "
             f"chúng {paper.full_name} vào Đảng Cộng sản Việt Nam."),
    ]
    return _resolution(paper, taken, "Đề nghị kết nạp đảng viên", blocks, signer, settings)


def _resolution(paper: AdmissionPaper, taken: PaperStep, summary: str,
                blocks: list[Para | Heading | Table], signer: str,
                settings: FormatSettings | None) -> PartyDocument:
    """The branch's resolution on a step (6-KNĐ, 13-KNĐ): its header, number and the
    secretary's signature for the branch."""
    return PartyDocument(
        header=_header(paper, taken.done_on, taken.number), kind="NGHỊ QUYẾT",
        summary=summary, blocks=tuple(blocks),
        closing=Closing(recipients=RECIPIENTS,
                        signatures=(Signature("T/M CHI BỘ", "BÍ THƯ", signer),)),
        settings=settings or FormatSettings())


def build_official(paper: AdmissionPaper, settings: FormatSettings | None = None
                   ) -> PartyDocument:
    """13-KNĐ: Nghị quyết đề nghị công nhận đảng viên chính thức."""
    taken = _step(paper, Step.OFFICIAL_RESOLUTION)
    ceremony = _step(paper, Step.CEREMONY)
    signer = _signer(paper, Step.OFFICIAL_RESOLUTION, taken.done_on)
    since = f" kể từ {_words(paper.official_from)}" if paper.official_from else ""
    blocks: list[Para | Heading | Table] = [
        Para("Căn cứ Điều 5 Điều lệ Đảng Cộng sản Việt Nam và các quy định, hướng dẫn của "
             "Trung ương về công nhận đảng viên chính thức,", italic=True),
        Para(f"{_words(taken.done_on).capitalize()}, {paper.branch} đã họp để xét, đề nghị "
             f"công nhận đảng viên dự bị {paper.full_name}, được kết nạp vào Đảng "
             f"{_words(ceremony.done_on)}, trở thành đảng viên chính thức."),
        *_numbers(paper, Step.OFFICIAL_RESOLUTION, taken),
        Para("Sau khi nghe đảng viên dự bị đọc bản tự kiểm điểm, ý kiến nhận xét của đảng "
             "viên được phân công giúp đỡ, của các đoàn thể chính trị - xã hội và chi ủy nơi "
             "cư trú, chi bộ thảo luận và thống nhất kết luận:"),
        Heading("1. Ưu điểm, khuyết điểm chính trong thời gian dự bị"),
        *_remarks(taken),
        Heading("2. Kết quả biểu quyết"),
        *_vote(paper, Step.OFFICIAL_RESOLUTION, taken,
               f"công nhận đồng chí {paper.full_name} là đảng viên chính thức"),
        Heading("QUYẾT NGHỊ:", align="center"),
        Para(f"Đề nghị {committee(paper.superior)} xem xét, quyết định công nhận "
             f"đồng chí {paper.full_name} là đảng viên chính thức{since}."),
    ]
    return _resolution(paper, taken, "Đề nghị công nhận đảng viên chính thức", blocks,
                       signer, settings)


def build_checklist(paper: AdmissionPaper, settings: FormatSettings | None = None
                    ) -> PartyDocument:
    """Danh mục hồ sơ: each paper done (its day and number) or missing."""
    rows = tuple(
        (str(i), line.title, line.code or "–",
         _day(line.done_on) + (f", số {line.number}" if line.number else ""),
         "Đã có" if line.done_on else "Còn thiếu")
        for i, line in enumerate(paper.checklist, start=1))
    missing = sum(1 for line in paper.checklist if line.done_on is None)
    blocks: list[Para | Heading | Table] = [
        Para(f"Người vào Đảng: {_who(paper)}."),
        Para("Người giới thiệu: " + ("; ".join(f"đồng chí {n}" for n in paper.sponsors if n)
                                     or "chưa có") + "."),
        Table(("STT", "Tài liệu", "Mẫu", "Ngày, số", "Tình trạng"), rows,
              widths=(1, 9, 2, 3.4, 2),
              align=("center", "left", "center", "left", "left"),
              nowrap=(True, False, True, False, False)),
        Para(f"Hồ sơ còn thiếu {missing} tài liệu." if missing else "Hồ sơ đã đủ các tài liệu."),
        Para("Số hiệu mẫu theo Hướng dẫn 12-HD/BTCTW năm 2022 (chưa đối chiếu với hướng dẫn "
             "mới nhất).", italic=True),
    ]
    signatures = (Signature("T/M CHI BỘ", "BÍ THƯ", paper.secretary),) \
        if paper.secretary.strip() else ()
    return PartyDocument(
        header=Header(superior=paper.superior, issuer=paper.branch, number="",
                      place=paper.place_name, date=paper.made_on),
        kind="DANH MỤC HỒ SƠ", summary=f"Đề nghị kết nạp đảng viên – {paper.full_name}",
        blocks=tuple(blocks), closing=Closing(signatures=signatures),
        settings=settings or FormatSettings())


BUILDERS = {"proposal": build_proposal, "official": build_official,
            "checklist": build_checklist}


def render_paper(paper: AdmissionPaper, kind: str, fmt: str) -> bytes:
    """The paper's DOCX or PDF bytes; refuses an unknown kind or format, a resolution not
    recorded yet, and a resolution with no bí thư in office to sign it."""
    if kind not in KINDS:
        raise DomainError("bad_choice", value=kind, choices=", ".join(KINDS))
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=fmt, choices=", ".join(FORMATS))
    document = BUILDERS[kind](paper)
    if fmt == "docx":
        from sotay_desktop.documents.docx_render import render_docx

        return render_docx(document)
    from sotay_desktop.documents.pdf_render import render_pdf

    return render_pdf(document)
