"""What the annual review's three papers share (issue 20): the extra facts they print
(``PaperInfo``), the type sizes (normal 14 pt, large 18–24 pt), the words for points, grades
and votes, blank ruled lines to write on, and the output: one or more ``PartyDocument``\\ s
rendered by the existing ``pdf_render``/``docx_render`` (HD 36 layout), joined into one file
with each document starting on a new page and numbering its own pages.

The papers are ``review_form`` (each member's self-review, Mẫu 2C), ``review_minutes``
(the branch meeting's minutes) and ``review_report`` (the collective report, Mẫu 01). They
read a ``CampaignView`` (sotay_core/domain/review_sheet.py) and a ``PaperInfo``; no storage,
no clock. Fixed official wording is Vietnamese by design and lives in these modules.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import Grade, Period, Scheme, Tally, passes
from sotay_core.domain.review_sheet import CampaignView
from sotay_core.domain.text import nfc
from sotay_desktop.documents.layout import FormatSettings, Header, Para, PartyDocument

FORMATS = ("pdf", "docx")
NORMAL_PT = 14
LARGE_SIZES = range(18, 25)
LARGE_PT = 20
DOTS = "…"


@dataclass(frozen=True, slots=True)
class Absence:
    name: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PaperInfo:
    """What the papers print beyond the ``CampaignView``; the use case fills it.

    ``place``: for "Tân Lập, ngày …"; ``made_on``: the paper's date (the minutes use the
    day of the meeting, ``CampaignView.held_on``, when there is one). ``secretary`` signs
    the report and the branch's part of each form; ``chair`` and ``recorder`` sign the
    minutes. ``members_total``/``present``/``absent``: the review meeting's attendance
    (None: not known, a blank is printed). ``number``: the report's number ("07-BC/CB").
    """

    place: str
    made_on: dt.date
    secretary: str = ""
    chair: str = ""
    recorder: str = ""
    location: str = ""
    starts_at: str = ""          # "19:30"
    ends_at: str = ""
    members_total: int | None = None
    present: int | None = None
    absent: tuple[Absence, ...] = ()
    number: str = ""


def settings_for(large: bool, size: int = LARGE_PT) -> FormatSettings:
    """HD 36 sizes, or large type for elderly members: the body, the tables and the title
    at least ``size`` (18–24 pt); what the renderers set at the header size (the header
    block, the page numbers, the signature blocks) at 18 pt, the smallest large size, so
    "ĐẢNG CỘNG SẢN VIỆT NAM" keeps to one line; on narrower margins (20/15/18/12 mm).

    The renderers set a table's cells 1 pt under the body, so the large body is ``size``
    + 1 and the cells are ``size``."""
    if not large:
        return FormatSettings()
    if isinstance(size, bool) or not isinstance(size, int) or size not in LARGE_SIZES:
        raise DomainError("review_papers.bad_size", value=size, low=min(LARGE_SIZES),
                          high=max(LARGE_SIZES))
    floor = min(LARGE_SIZES)
    return FormatSettings(margin_top_mm=20, margin_bottom_mm=15, margin_left_mm=18,
                          margin_right_mm=12, body_pt=size + 1, party_name_pt=floor,
                          header_pt=floor, kind_pt=size + 2, summary_pt=size,
                          recipients_pt=size, first_line_indent_cm=1.0, space_after_pt=4,
                          line_spacing=1.1)


# --- words ----------------------------------------------------------------------------


def points_text(value: Decimal | None) -> str:
    """Decimal(85.5) -> "85,5"; always one decimal place; None -> ""."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.1')):f}".replace(".", ",")


def share_text(value: Decimal) -> str:
    """A set share as people write it: Decimal("20.0") -> "20", Decimal("12.5") -> "12,5"."""
    return f"{value.normalize():f}".replace(".", ",")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


def day_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def date_words(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def clock(text: str) -> str:
    """"19:30" -> "19 giờ 30 phút"; blank -> dots for the hand."""
    hours, _, minutes = text.partition(":")
    if not (hours.strip().isdigit() and minutes.strip().isdigit()):
        return f"{DOTS} giờ {DOTS} phút"
    return f"{int(hours)} giờ {int(minutes):02d} phút"


_QUARTERS = {Period.Q1: "I", Period.Q2: "II", Period.Q3: "III", Period.Q4: "IV"}


def period_words(view: CampaignView) -> str:
    """"năm 2026" or "quý IV năm 2026"."""
    if view.period is Period.YEAR:
        return f"năm {view.year}"
    return f"quý {_QUARTERS[view.period]} năm {view.year}"


def period_label(view: CampaignView) -> str:
    """"2026" or "Q4/2026", for messages in either language."""
    return str(view.year) if view.period is Period.YEAR else (
        f"{view.period.value.upper()}/{view.year}")


def period_span(view: CampaignView) -> str:
    """"trong năm" or "trong quý"."""
    return "trong năm" if view.period is Period.YEAR else "trong quý"


def grade_text(grade: Grade | None) -> str:
    return grade.label if grade is not None else ""


def thresholds_text(scheme: Scheme) -> str:
    t = scheme.thresholds
    return (f"{Grade.EXCELLENT.label}: từ {points_text(t.excellent)} điểm; "
            f"{Grade.GOOD.label}: từ {points_text(t.good)} đến dưới {points_text(t.excellent)}"
            f" điểm; {Grade.FULFILLED.label}: từ {points_text(t.fulfilled)} đến dưới "
            f"{points_text(t.good)} điểm; {Grade.NOT_FULFILLED.label}: dưới "
            f"{points_text(t.fulfilled)} điểm.")


def tally_text(tally: Tally, scheme: Scheme, *, who: str) -> str:
    """The vote in words; the parts add up to the voting base. Refuses a tally that breaks
    the counting rules (``review.check_tally``)."""
    passed = passes(tally, scheme, who=who)
    parts = [f"tán thành {tally.yes}/{tally.base} ({percent(tally.yes, tally.base)})",
             f"không tán thành {tally.no}"]
    if tally.abstain:
        parts.append(f"không biểu quyết {tally.abstain}")
    if tally.secret:
        parts.append(f"phiếu không hợp lệ {tally.invalid}")
    missing = tally.base - tally.yes - tally.no - tally.abstain - tally.invalid
    if missing:
        parts.append(f"không tham gia {missing}")
    text = "; ".join(parts)
    if not passed:
        text += (f" – chưa quá {share_text(scheme.conditions.vote_more_than_percent)}% "
                 "tán thành, không thông qua")
    return text


def vote_kind(tallies: Sequence[Tally]) -> str:
    """How the branch voted: "bỏ phiếu kín", "biểu quyết giơ tay" or both."""
    kinds = {tally.secret for tally in tallies}
    if kinds == {True}:
        return "bỏ phiếu kín"
    if kinds == {False}:
        return "biểu quyết giơ tay"
    return "bỏ phiếu kín và biểu quyết giơ tay"


def ruled_lines(count: int, settings: FormatSettings) -> list[Para]:
    """``count`` dotted lines across the text width, to write on by hand (Tinos has the
    metrics of Times New Roman, so the DOCX line is as long as the PDF's)."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from sotay_desktop.documents.fonts import SERIF, register_fonts

    register_fonts()
    usable = (210 - settings.margin_left_mm - settings.margin_right_mm) * mm
    dots = int(usable * 0.95 / stringWidth(".", SERIF, settings.body_pt))
    return [Para("." * dots, align="left", indent=False) for _ in range(count)]


def header(view: CampaignView, info: PaperInfo, *, day: dt.date | None = None,
           number: str = "") -> Header:
    return Header(superior=view.parent_name, issuer=view.unit_name, number=number,
                  place=info.place, date=day or info.made_on)


class NamesMissing(DomainError):
    """The signers not named; the roles are put in words in the language asked for."""

    def __init__(self, roles: list[str]) -> None:
        self.roles = tuple(roles)
        super().__init__("review_papers.names_missing", missing=", ".join(roles))

    def message(self, lang: str | None = None) -> str:
        from sotay_core import i18n

        names = ", ".join(i18n.t(f"role.{role}", lang=lang) for role in self.roles)
        return i18n.t("review_papers.names_missing", lang=lang, missing=names)


def require_names(roles: dict[str, str]) -> None:
    """Refuse a paper whose signers are not named (role key -> the name given)."""
    missing = [role for role, name in roles.items() if not nfc(name).strip()]
    if missing:
        raise NamesMissing(missing)


# --- output ---------------------------------------------------------------------------


def output_format(path: Path) -> str:
    """"pdf" or "docx" from the file's suffix; anything else is refused."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=path.suffix or path.name,
                          choices=", ".join(f".{f}" for f in FORMATS))
    return fmt


def render(documents: Sequence[PartyDocument], fmt: str) -> bytes:
    """The documents as one PDF or DOCX; each starts on a new page and numbers its pages
    from its own first page."""
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=fmt, choices=", ".join(FORMATS))
    if not documents:
        raise ValueError("nothing to render")
    if fmt == "docx":
        from sotay_desktop.documents.docx_render import render_docx

        return _joined_docx([render_docx(document) for document in documents])
    from sotay_desktop.documents.pdf_render import render_pdf

    parts = [render_pdf(document) for document in documents]
    return parts[0] if len(parts) == 1 else _joined_pdf(parts, documents[0])


def write(path: Path, data: bytes) -> Path:
    """Write next to the target then move it into place: a failure leaves the old file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def _joined_pdf(parts: list[bytes], first: PartyDocument) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    writer.add_metadata({"/Title": nfc(f"{first.kind} {first.summary}".strip()),
                         "/Author": nfc(first.header.issuer)})
    writer.compress_identical_objects()       # the forms' shared font data once
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_AFTER_PGNUM = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def _joined_docx(parts: list[bytes]) -> bytes:
    """One DOCX: each part a section of its own (new page, page numbers from 1, no number
    on its first page, as the renderer sets), and every table's heading row repeated on
    each page it runs onto, no row broken across two pages."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    base = docx.Document(io.BytesIO(parts[0]))
    body = base.element.body
    last = body.find(qn("w:sectPr"))
    restart = OxmlElement("w:pgNumType")
    restart.set(qn("w:start"), "1")
    after = [child for child in last if child.tag in {qn(f"w:{name}") for name in _AFTER_PGNUM}]
    if after:
        after[0].addprevious(restart)     # the schema's order of a section's properties
    else:
        last.append(restart)
    for data in parts[1:]:
        other = docx.Document(io.BytesIO(data)).element.body
        end = OxmlElement("w:p")            # ends the section before: a copy of its settings
        properties = OxmlElement("w:pPr")
        properties.append(copy.deepcopy(last))
        end.append(properties)
        last.addprevious(end)
        for child in list(other):
            if child.tag != qn("w:sectPr"):
                last.addprevious(copy.deepcopy(child))
    for table in body.iter(qn("w:tbl")):
        if table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") is None:
            continue                        # the header block and the signatures: no grid
        for index, row in enumerate(table.iterfind(qn("w:tr"))):
            row_properties = row.find(qn("w:trPr"))
            if row_properties is None:
                row_properties = OxmlElement("w:trPr")
                row.insert(0, row_properties)
            # a row never breaks across pages (as in the PDF); the first one repeats
            for tag in ("w:cantSplit", "w:tblHeader") if index == 0 else ("w:cantSplit",):
                if row_properties.find(qn(tag)) is None:
                    row_properties.append(OxmlElement(tag))
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()
