"""PartyDocument -> HTML for Qt's print preview and printing (QTextDocument understands it).

The DOCX and PDF renderers are the files kept and sent; this is what the
system print dialog prints, with the same blocks and wording.
"""

from __future__ import annotations

import html

from sotay_desktop.documents.layout import Heading, Para, PartyDocument, Table, place_date
from sotay_desktop.domain.text import nfc


def _e(text: str) -> str:
    return html.escape(nfc(text)).replace("\n", "<br/>")


def render_html(document: PartyDocument) -> str:
    s = document.settings
    h = document.header
    number = f"<p align='center'>{_e(h.number)}</p>" if h.number else ""
    parts = [
        f"<html><body style=\"font-family:'Times New Roman','Tinos',serif;"
        f"font-size:{s.body_pt}pt\">",
        "<table width='100%'><tr>",
        f"<td width='45%' valign='top'><p align='center'>{_e(h.superior.upper())}<br/>"
        f"<b>{_e(h.issuer.upper())}</b><br/>*</p>{number}</td>",
        f"<td width='55%' valign='top'><p align='center' style='font-size:{s.party_name_pt}pt'>"
        f"<b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b></p>"
        f"<p align='center'><i>{_e(place_date(h.place, h.date))}</i></p></td>",
        "</tr></table>",
        f"<p align='center' style='font-size:{s.kind_pt}pt'><b>{_e(document.kind.upper())}</b>"
        + (f"<br/><b>{_e(document.summary)}</b>" if document.summary else "") + "<br/>-----</p>",
    ]
    for block in document.blocks:
        if isinstance(block, Para):
            text = _e(block.text)
            if block.bold:
                text = f"<b>{text}</b>"
            if block.italic:
                text = f"<i>{text}</i>"
            indent = f"text-indent:{s.first_line_indent_cm}cm;" if block.indent else ""
            parts.append(f"<p align='{block.align}' style='{indent}'>{text}</p>")
        elif isinstance(block, Heading):
            parts.append(f"<p align='{block.align}'><b>{_e(block.text)}</b></p>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{_e(c)}</th>" for c in block.header)
            rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>"
                           for row in block.rows)
            parts.append(f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
                         f"<tr>{head}</tr>{rows}</table>")
    closing = document.closing
    if closing.recipients or closing.signatures:
        signatures = list(closing.signatures)
        left = ""
        if closing.recipients:
            left = "<p><b><u>Nơi nhận:</u></b><br/>" + "<br/>".join(
                f"<span style='font-size:{s.recipients_pt}pt'>- {_e(r)}</span>"
                for r in closing.recipients) + "</p>"
        elif len(signatures) > 1:
            left = _signature(signatures.pop(0))
        right = _signature(signatures[0]) if signatures else ""
        parts.append(f"<br/><table width='100%'><tr><td width='45%' valign='top'>{left}</td>"
                     f"<td width='55%' valign='top'>{right}</td></tr></table>")
    parts.append("</body></html>")
    return "".join(parts)


def _signature(signature: object) -> str:
    authority = getattr(signature, "authority", "")
    lines = ([f"<b>{_e(authority)}</b>"] if authority else []) + [
        f"<b>{_e(getattr(signature, 'title', ''))}</b>", "<br/><br/><br/>",
        f"<b>{_e(getattr(signature, 'name', ''))}</b>"]
    return "<p align='center'>" + "<br/>".join(lines) + "</p>"
