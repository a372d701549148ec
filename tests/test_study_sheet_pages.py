"""The quiz sheet wastes no paper (issue 21): a village prints it for 150 members, so each
page holds as many whole questions as fit (a question and its choices never split). On the
demo's finished plan at 20 pt, question 2 is on page 1 of the PDF and of the DOCX as
LibreOffice lays it out (both went overleaf, leaving a fifth of the page empty); a quiz of
five questions takes two pages and one of twenty six; in the DOCX a choice's wrapped line
starts under its own text, not under the box (LibreOffice skipped the tab stop at the
hanging indent)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from sotay_desktop.db.engine import open_database
from sotay_desktop.documents.study_quiz_sheet import render_sheets
from sotay_desktop.resources import resources_dir
from sotay_desktop.usecases import study, study_papers
from sotay_desktop.usecases.workspace import Workspace
from tests import study_paper_fixtures as fx
from tests.conftest import TODAY


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(unicodedata.normalize("NFC", page.extract_text()).split())
            for page in PdfReader(io.BytesIO(pdf)).pages]


def _demo_sheet(demo_dir: Path, fmt: str) -> bytes:
    """One member's sheet of the demo's finished plan (quiz and survey), at 20 pt."""
    db = open_database(demo_dir)
    try:
        ws = Workspace(db, today=lambda: TODAY)
        done = next(p for p in study.plans(ws) if p.has_quiz and p.has_survey)
        view = study.view(ws, done.id)
        first = next(m.member_id for m in view.members if m.targeted)
        return study_papers.paper_bytes(ws, done.id, "sheets", fmt,
                                        study_papers.Options(size=20, member_ids=(first,)))
    finally:
        db.close()


def _questions_by_page(pages: list[str]) -> list[list[int]]:
    return [[n for n in range(1, 40) if f"Câu {n}." in page] for page in pages]


def test_the_demo_sheet_holds_question_two_on_its_first_page(demo_dir: Path) -> None:
    pages = _pages(_demo_sheet(demo_dir, "pdf"))
    by_page = _questions_by_page(pages)
    assert by_page[0] == [1, 2]
    assert [n for page in by_page for n in page] == list(range(1, 9))   # once each, in order
    assert all(by_page)                                    # no page without a question
    assert len(pages) <= 3                                 # it took 3 with room left on each


@pytest.mark.parametrize(("questions", "most"), [(5, 2), (20, 6)])
def test_a_quiz_at_20_pt_takes_fewer_pages(questions: int, most: int) -> None:
    view = fx.plan_view(members=1, questions=questions, choices=4)
    pages = _pages(render_sheets(view, "pdf", info=fx.INFO, size=20))
    assert len(pages) <= most                              # 3 and 8 pages before
    by_page = _questions_by_page(pages)
    assert [n for page in by_page for n in page] == list(range(1, questions + 1))
    for page in pages:                                     # a question with all its choices
        for n in (n for n in range(1, questions + 1) if f"Câu {n}." in page):
            assert all(f"{letter}. Phương án {letter}" in page.split(f"Câu {n}.")[1]
                       for letter in "ABCD")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_docx_as_libreoffice_lays_it_out(demo_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "phieu.docx"
    source.write_bytes(_demo_sheet(demo_dir, "docx"))
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{resources_dir() / 'fonts'}</dir></fontconfig>", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(config)})
    pdf = (tmp_path / "phieu.pdf").read_bytes()
    by_page = _questions_by_page(_pages(pdf))
    assert by_page[0] == [1, 2] and [n for page in by_page for n in page] == list(range(1, 9))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode("utf-8")
    # the demo's question 2, choice A wraps: its second line starts where "A." does
    words = [(float(line.split('xMin="')[1].split('"')[0]), line.rsplit(">", 2)[-2][:-6])
             for line in boxes.splitlines() if "<word " in line]
    letters = {x for x, word in words if word in ("A.", "B.", "C.")}
    wrapped = [x for x, word in words if word == "đại," or word == "thu"]
    assert len(letters) == 1                                # every choice's text in one column
    assert wrapped and min(abs(x - next(iter(letters))) for x in wrapped) < 1
