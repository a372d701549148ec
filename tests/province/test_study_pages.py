"""The province pages of political study (issue 21): publishing a plan from the form (CSRF
token, login), its page with completion per commune and branch, the quiz's distribution and
the survey's totals — counts only, never a member's name, except a contest's named results
(marked UNCONFIRMED); another commune's staff cannot see it; its XLSX and PDF open; bad
input is refused in Vietnamese with what was typed kept and nothing written."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server import staff
from sync_server.models import Record, StudyPublication
from tests.province.month_support import members_of
from tests.province.study_support import (
    B1,
    B2,
    DUE,
    QUIZ,
    SURVEY,
    contest_figures,
    document,
    plan,
    report,
)
from tests.province.support import PASSWORD, login, text_of, token_of

pytestmark = pytest.mark.server


def _form(c: TestClient, to: str, **fields: Any) -> Any:
    page = c.get(f"/province/study/new?to={to}").text
    data: dict[str, Any] = {"form_token": token_of(page), "to": to,
                            "title": "Học tập Nghị quyết Đại hội XIV", "number": "12-KH/TU",
                            "issued_on": "", "due_on": DUE.strftime("%d/%m/%Y"),
                            "kind": "study", "audience": "all", "quiz": QUIZ,
                            "pass_percent": "60", "survey": SURVEY, "points": "10",
                            "note": ""} | fields
    return c.post("/province/study/new", data=data, follow_redirects=False)


def _plans(engine) -> list[str]:
    with Session(engine) as s:
        return list(s.scalars(select(StudyPublication.id)))


def test_publish_from_the_form_and_read_the_plan_page(env) -> None:
    c, ids, engine, branches = env["client"], env["ids"], env["app"].state.engine, \
        env["branches"]
    login(c)
    doc = document(env, ids["p"])
    form = c.get(f"/province/study/new?to={ids['c1']}").text
    assert "Câu hỏi trắc nghiệm" in form and "Đáp án: A" in form     # the help box
    assert "Nghị quyết Đại hội XIV" in form                          # the area's documents
    r = _form(c, ids["p"], documents=[doc])
    assert r.status_code == 303, r.text
    plan_id = r.headers["location"].split("/")[-1].split("?")[0]
    page = text_of(c.get(r.headers["location"]).text)
    assert "Đã gửi kế hoạch tới 3 chi bộ" in page
    assert report(branches[ids["b1"]], plan_id, B1)["status"] == "applied"
    assert report(branches[ids["b2"]], plan_id, B2)["status"] == "applied"
    html = c.get(f"/province/study/{plan_id}").text
    page = text_of(html)
    assert "2/3 chi bộ đã báo cáo · 7/8 đảng viên đã học (88 %)" in page
    assert "1 đảng viên chưa được học" in page
    assert "1 chi bộ chưa gửi gì (1 đảng viên theo đảng số)" in page
    row = re.search(r'<th scope="row"><a [^>]*>Đảng ủy xã An Hòa</a></th>(.*?)</tr>', html,
                    re.S)
    assert row and text_of(row.group(1)).split() == [
        "2/2", "8", "7", "88", "%", "1", "3", "4/6", "đạt"]
    row = re.search(r'<th scope="row"><a [^>]*>Đảng ủy xã Bình Minh</a></th>(.*?)</tr>', html,
                    re.S)
    assert row and "0/1 · 1 chưa gửi" in text_of(row.group(1))
    # the quiz: sheets by right answers, and which question members got wrong
    hist = re.search(r'<table class="grid small" id="histogram">.*?</table>', html, re.S)
    assert hist and [m for m in re.findall(r'<td class="n">(\d+)</td>', hist.group(0))] == [
        "1", "1", "2", "2"]
    questions = text_of(re.search(r'id="questions".*?</table>', html, re.S).group(0))
    assert "2. Chi bộ sinh hoạt thường kỳ mấy lần một tháng? A. Một lần 2/6 (33 %)" \
        in questions
    assert '<tr class="late">\n<th scope="row">2. Chi bộ' in html   # under half right
    # the survey: totals per choice over those present, and the written answers
    survey = text_of(re.search(r'id="survey-1".*?</table>', html, re.S).group(0))
    assert "A. Rất bổ ích 4 57 %" in survey and "C. Chưa bổ ích 0 0 %" in survey
    assert "2 chi bộ gửi bản tóm tắt" in page and "Cần thêm tài liệu in chữ to" in page
    # counts only: no member's name anywhere, and no contest list on a study plan
    for name in [*members_of(engine, ids["b1"]), "Lò Văn Sáu"]:
        assert name not in html
    assert "CHƯA XÁC NHẬN" not in html
    # the commune's view lists its branches; the list shows the plan with its figures
    commune = text_of(c.get(f"/province/study/{plan_id}?unit={ids['c1']}").text)
    assert "Chi bộ thôn Đông Đã báo cáo 3 2 67 %" in commune
    listing = text_of(c.get("/province/study").text)
    assert "12-KH/TU — Học tập Nghị quyết Đại hội XIV" in listing and "7/8" in listing
    nav = c.get(f"/province/units/{ids['p']}").text
    assert '<a href="/province/study' in nav


def test_another_communes_staff_cannot_see_it(env) -> None:
    ids, app = env["ids"], env["app"]
    with Session(app.state.engine) as s, s.begin():
        staff.add_user(s, username="xa2", unit_id=ids["c2"], password=PASSWORD)
    plan_id = plan(env, ids["c1"])
    assert report(env["branches"][ids["b1"]], plan_id, B1)["status"] == "applied"
    other = TestClient(app)
    login(other, "xa2")
    for url in (f"/province/study/{plan_id}", f"/province/study/{plan_id}?unit={ids['c1']}",
                f"/province/study/{plan_id}/download?format=xlsx"):
        r = other.get(url)
        assert r.status_code == 404, url
        assert "không thuộc phạm vi" in text_of(r.text)
    assert "Học tập Nghị quyết" not in other.get("/province/study").text
    r = other.post(f"/province/study/{plan_id}/withdraw",
                   data={"form_token": token_of(other.get("/province/study").text),
                         "confirm": "yes"})
    assert r.status_code == 404
    # the commune's own staff sees it, and a province-wide plan is seen by both communes,
    # each within its own area
    own = TestClient(app)
    login(own, "xa1")
    assert own.get(f"/province/study/{plan_id}").status_code == 200
    wide = plan(env, ids["p"], title="Chuyên đề cả tỉnh")
    page = text_of(other.get(f"/province/study/{wide}").text)
    assert "0/1 chi bộ đã báo cáo" in page and "Chi bộ thôn Nam" in page
    assert "Chi bộ thôn Đông" not in page
    assert "Sửa hoặc thu hồi" not in page          # a plan from above: read only here
    assert other.get(f"/province/study/{wide}?unit={ids['c1']}").status_code == 404


def test_the_downloads_open_and_say_the_figures(env) -> None:
    import openpyxl
    import pypdf

    c, ids, branches = env["client"], env["ids"], env["branches"]
    login(c)
    plan_id = plan(env, ids["p"])
    # a name crafted as a formula in a written answer stays text in the spreadsheet
    crafted = B1.__class__(**{**{n: getattr(B1, n) for n in B1.__dataclass_fields__},
                              "survey_texts": ("", "", "=HYPERLINK(\"http://x\")")})
    assert report(branches[ids["b1"]], plan_id, crafted)["status"] == "applied"
    assert report(branches[ids["b2"]], plan_id, B2)["status"] == "applied"
    r = c.get(f"/province/study/{plan_id}/download?format=xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Hoàn thành", "Chi bộ chưa gửi gì", "Trắc nghiệm",
                               "Khảo sát", "Ý kiến viết"]
    rows = [list(row) for row in book["Hoàn thành"].iter_rows(values_only=True)]
    assert ["Đảng ủy xã An Hòa", 2, 2, 0, 8, 7, "88 %", 1, 3, 6, 4] in rows
    assert [row[0] for row in book["Chi bộ chưa gửi gì"].iter_rows(values_only=True)] == [
        "Chi bộ", "Chi bộ thôn Nam"]
    texts = {row[2] for row in book["Ý kiến viết"].iter_rows(values_only=True)}
    assert "=HYPERLINK(\"http://x\")" in texts
    cell = next(c for row in book["Ý kiến viết"].iter_rows() for c in row
                if c.value == "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"
    r = c.get(f"/province/study/{plan_id}/download?format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    text = " ".join(text.split())
    assert "Kết quả học tập: Học tập Nghị quyết Đại hội XIV" in text
    assert "Đảng ủy xã An Hòa" in text and "Chi bộ thôn Nam" in text
    assert "Rất bổ ích" in text
    assert c.get(f"/province/study/{plan_id}/download?format=doc").status_code == 400


def test_a_contest_shows_named_results_marked_unconfirmed(env) -> None:
    c, ids, branches = env["client"], env["ids"], env["branches"]
    login(c)
    plan_id = plan(env, ids["p"], kind="contest", audience="secretary", survey="",
                   title="Hội thi bí thư chi bộ giỏi")
    assert report(branches[ids["b1"]], plan_id,
                  contest_figures("Nguyễn Văn An", 3))["status"] == "applied"
    assert report(branches[ids["b3"]], plan_id,
                  contest_figures("Lò Văn Sáu", 1))["status"] == "applied"
    page = text_of(c.get(f"/province/study/{plan_id}").text)
    assert "CHƯA XÁC NHẬN" in page
    assert "Nguyễn Văn An Chi bộ thôn Đông 3/3" in page
    assert page.index("Nguyễn Văn An") < page.index("Lò Văn Sáu")


@pytest.mark.parametrize(("fields", "words"), [
    ({"title": ""}, "Chưa nhập tên kế hoạch học tập."),
    ({"due_on": "31/02/2027"}, "Hạn hoàn thành «31/02/2027» không phải là một ngày"),
    ({"due_on": ""}, "Chưa nhập hạn hoàn thành."),
    ({"quiz": "1. Câu hỏi không có đáp án\nA. Có\nB. Không"}, "Câu 1"),
    ({"pass_percent": "năm mươi"}, "Điểm đạt «năm mươi» phải là một số nguyên."),
    ({"quiz": "x" * 600_000}, "Câu hỏi trắc nghiệm quá dài: tối đa 200000 ký tự."),
])
def test_bad_form_input_is_refused_in_vietnamese_and_nothing_written(env, fields,
                                                                    words) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    login(c)
    r = _form(c, ids["c1"], **fields)
    assert r.status_code == 400, r.text[:300]
    page = text_of(r.text)
    assert words in page, page[:600]
    assert "Chưa gửi gì; những gì đã nhập vẫn còn dưới đây." in page
    assert "Học tập Nghị quyết Đại hội XIV" in r.text or fields.get("title") == ""
    assert _plans(engine) == []
    with Session(engine) as s:
        assert not list(s.scalars(select(Record).where(Record.entity == "study_plans")))


def test_a_2_mb_textarea_and_a_forged_form(env) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    login(c)
    r = _form(c, ids["c1"], quiz="Câu " * 700_000)
    assert r.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in r.text and "Không có gì được ghi" in r.text
    r = _form(c, ids["c1"], form_token="1.2.3")
    assert r.status_code == 403
    r = c.post("/province/study/new", data={"title": "x"}, follow_redirects=False)
    assert r.status_code == 403
    anonymous = TestClient(env["app"])
    assert anonymous.post("/province/study/new", data={"title": "x"}).status_code == 401
    assert anonymous.get("/province/study", follow_redirects=False).status_code == 303
    assert _plans(engine) == []


def test_extend_the_deadline_and_withdraw_from_the_page(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c, "xa1")
    plan_id = plan(env, ids["c1"], issuer_id=ids["c1"])
    url = f"/province/study/{plan_id}"
    page = c.get(url).text
    later = DUE.replace(year=DUE.year + 1)
    r = c.post(f"{url}/edit", data={"form_token": token_of(page), "title": "Học tập (sửa)",
                                    "number": "12-KH/ĐU", "due_on": later.strftime("%d/%m/%Y"),
                                    "note": "Gia hạn"}, follow_redirects=False)
    assert r.status_code == 303
    page = text_of(c.get(r.headers["location"]).text)
    assert "Đã sửa kế hoạch trên mọi bản" in page and "Học tập (sửa)" in page
    assert f"hạn hoàn thành {later:%d/%m/%Y}" in page
    page = c.get(url).text
    r = c.post(f"{url}/edit", data={"form_token": token_of(page), "title": "x",
                                    "due_on": "hôm qua"})
    assert r.status_code == 400 and "không phải là một ngày" in text_of(r.text)
    page = c.get(url).text
    r = c.post(f"{url}/withdraw", data={"form_token": token_of(page)})
    assert r.status_code == 400 and "Hãy đánh dấu ô xác nhận" in text_of(r.text)
    page = c.get(url).text
    r = c.post(f"{url}/withdraw", data={"form_token": token_of(page), "confirm": "yes"},
               follow_redirects=False)
    assert r.status_code == 303
    page = text_of(c.get(r.headers["location"]).text)
    assert "Đã thu hồi kế hoạch" in page and "Sửa hoặc thu hồi" not in page
    assert "Đã thu hồi" in text_of(c.get("/province/study").text)
