"""What a stranger reading only ``--help`` and the messages needs to finish a review
(found by attacking issue 20): a grade follows the points, so a meeting over the share of
"excellent" is told how to get under it, not only that it is over."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.review import (
    DEFAULT_SCHEME,
    Conditions,
    Grade,
    Proposal,
    Scheme,
    Thresholds,
    check_excellent_cap,
)


def _meeting(excellent: int, good: int) -> list[Proposal]:
    return [Proposal(f"X{i}", Decimal(95), Grade.EXCELLENT) for i in range(excellent)] + [
        Proposal(f"G{i}", Decimal(80), Grade.GOOD) for i in range(good)]


@pytest.mark.parametrize(("scheme", "mark"), [
    (DEFAULT_SCHEME, "90"),
    (Scheme("x", DEFAULT_SCHEME.criteria, Thresholds(Decimal(85), Decimal(65), Decimal(45)),
            Conditions()), "85")])
def test_over_the_share_of_excellent_says_how_to_get_under_it(scheme: Scheme,
                                                               mark: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_excellent_cap(_meeting(3, 7), scheme)
    vi, en = refused.value.message("vi"), refused.value.message("en")
    assert f"dưới {mark}" in vi and "X2" in vi
    assert f"under {mark}" in en and "X2" in en


def test_a_capped_proposal_says_why_on_the_command_line(demo_dir) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import io
    import json

    from sotay_core import i18n
    from sotay_desktop.cli import main as sotay

    def ok(*argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        try:
            assert sotay([*argv, "--data-dir", str(demo_dir)], out=out, err=err) == 0, \
                err.getvalue()
        finally:
            i18n.set_language("vi")
        return out.getvalue()

    year = str(dt.date.today().year)
    ok("review", "open", year)
    shown = json.loads(ok("review", "show", year, "--json"))
    late = next(m for m in shown["members"] if not m["tasks_on_time"] and not m["disciplined"])
    free = next(m for m in shown["members"] if m["tasks_on_time"] and not m["disciplined"])
    said = ok("review", "propose", year, "--member", late["member_id"], "--points", "95")
    assert "Hoàn thành nhiệm vụ" in said and "không hoàn thành đúng hạn" in said
    assert "95.0" in said and "Hoàn thành xuất sắc nhiệm vụ" in said
    said = ok("review", "propose", year, "--member", free["member_id"], "--points", "95")
    assert said.strip() == "Đã ghi đề nghị của chi bộ: Hoàn thành xuất sắc nhiệm vụ."


def test_the_papers_from_the_command_line(demo_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``sotay review paper``: last year's minutes of the demo name no signers (no meeting
    record): refused in words and no file, then made with the names given."""
    import io

    import docx
    from pypdf import PdfReader

    from sotay_core import i18n
    from sotay_desktop.cli import main as sotay

    def run(*argv: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        try:
            code = sotay([*argv, "--data-dir", str(demo_dir)], out=out, err=err)
        finally:
            i18n.set_language("vi")
        return code, out.getvalue() + err.getvalue()

    minutes = tmp_path / "bien-ban.pdf"
    code, said = run("review", "paper", "2025", "--what", "minutes", "-o", str(minutes))
    assert code == 1 and "người chủ trì" in said and not minutes.exists()
    code, said = run("review", "paper", "2025", "--what", "minutes", "-o", str(minutes),
                     "--chair", "Bùi Đình Khánh", "--recorder", "Lê Thị Ghi")
    assert code == 0, said
    text = "".join(page.extract_text() for page in PdfReader(minutes).pages)
    assert "Lê Thị Ghi" in text and "BIÊN BẢN" in text
    form = tmp_path / "kiem-diem.docx"
    code, said = run("review", "paper", "2025", "--what", "form", "-o", str(form))
    assert code == 1 and "--member" in said and not form.exists()
    code, said = run("review", "paper", "2025", "--what", "form", "--member",
                     "Nguyễn Mạnh An", "--font-size", "24", "-o", str(form))
    assert code == 0, said
    paper = docx.Document(str(form))
    words = "\n".join(p.text for p in paper.paragraphs)
    assert "Nguyễn Mạnh An" in words and "BẢN KIỂM ĐIỂM" in words.upper()
    sizes = {run_.font.size.pt for p in paper.paragraphs for run_ in p.runs if run_.font.size}
    assert max(sizes) >= 24
