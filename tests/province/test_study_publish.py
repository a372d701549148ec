"""Study plans published down by the province (issue 21) and the branches' counts coming up:
the plan reaches exactly the branches below the unit, read-only on their PCs; a report the
plan's quiz and survey cannot have produced is refused; ``stat_study`` follows the records
(equal to a rebuild) and rolls up per commune; a later deadline and a withdrawal rewrite
every copy. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import study
from sotay_core.domain.ids import new_id
from sotay_core.domain.study_figures import NamedResult, StudyFigures
from sync_server import facts, study_publish, study_queries
from sync_server.admin import AdminError
from sync_server.models import Record, StatStudy, StatStudyUnit, StudyPublication, Unit
from tests.province.month_support import version
from tests.province.study_support import B1, B2, DUE, QUIZ, document, plan, report

pytestmark = pytest.mark.server


def _copies(engine, plan_id: str) -> dict[str, dict]:
    with Session(engine) as s:
        return {r.scope_id: json.loads(r.data) | {"_owned": r.province_owned,
                                                   "_deleted": r.deleted}
                for r in s.scalars(select(Record).where(Record.entity == "study_plans",
                                                        Record.id == plan_id))}


def test_a_plan_reaches_exactly_the_branches_below_and_its_pcs_cannot_change_it(env) -> None:
    ids, engine, branches = env["ids"], env["app"].state.engine, env["branches"]
    doc = document(env, ids["c1"])
    plan_id = plan(env, ids["c1"], document_ids=[doc], audience="statuses",
                   statuses=["official", "probationary"], points=10)
    copies = _copies(engine, plan_id)
    assert set(copies) == {ids["b1"], ids["b2"]}
    one = copies[ids["b1"]]
    assert one["_owned"] and one["unit_id"] == ids["b1"] and one["origin"] == "from_above"
    assert one["issuer"] == "Tỉnh ủy Thái Bình" and one["due_on"] == DUE.isoformat()
    assert json.loads(one["documents"]) == [doc]
    assert one["statuses"] == "official probationary" and one["points"] == 10
    quiz = study.quiz_from_json(one["quiz"])
    assert [q.correct_letter for q in quiz.questions] == ["B", "A", "A"]
    assert study.survey_from_json(one["survey"]).questions[2].free_text
    # b1's PC pulls it; b3 (the other commune) never sees it
    b1, b3 = branches[ids["b1"]], branches[ids["b3"]]
    pulled = [ch for ch in b1.sync()["changes"] if ch["entity"] == "study_plans"]
    assert [ch["id"] for ch in pulled] == [plan_id]
    assert not [ch for ch in b3.sync()["changes"] if ch["entity"] == "study_plans"]
    # the branch's PC may not edit, delete, or create over the province's plan…
    before = version(engine, ids["b1"], "study_plans", plan_id)
    for fields in ({"due_on": [DUE.isoformat(), "2099-01-01"]}, {"deleted": [False, True]}):
        result = b1.update("study_plans", plan_id, before, fields)
        assert (result["status"], result["reason"]) == ("rejected", "sync_read_only")
    assert version(engine, ids["b1"], "study_plans", plan_id) == before
    # …but pushes its report on it
    assert report(b1, plan_id, B1)["status"] == "applied"


def test_a_report_the_plan_cannot_have_produced_is_refused(env) -> None:
    ids, engine, b1 = env["ids"], env["app"].state.engine, env["branches"][env["ids"]["b1"]]
    plan_id = plan(env, ids["c1"])
    bad = {
        # 3 ticks of choice A while 2 members were present
        "tally": B1.__class__(**{**_fields(B1), "survey_tallies": ((3, 0, 0), (2, 1), ())}),
        # a single-choice question's ticks add up past those present
        "sum": B1.__class__(**{**_fields(B1), "survey_tallies": ((2, 1, 0), (2, 1), ())}),
        # sheets by score do not add up to the sheets entered
        "histogram": B1.__class__(**{**_fields(B1), "histogram": (0, 1, 1, 1)}),
        # names sent up on a study plan (not a contest)
        "named": B1.__class__(**{**_fields(B1), "named": (NamedResult("Nguyễn Văn An", 3, 3),)}),
        "studied": B1.__class__(**{**_fields(B1), "studied": 4}),
    }
    for what, figures in bad.items():
        result = report(b1, plan_id, figures)
        assert (result["status"], result["reason"]) == ("rejected",
                                                        "invalid_value:figures"), what
    assert report(b1, plan_id, "{not json")["reason"] == "invalid_value:figures"
    with Session(engine) as s:
        assert not list(s.scalars(select(Record).where(Record.entity == "study_reports")))
        row = s.get(StatStudy, (plan_id, ids["b1"]))
        assert row is not None and not row.reported and row.targeted == 0
    # a good report, then an update breaking the tallies: refused, the row unchanged
    rid = new_id()
    assert report(b1, plan_id, B1, rid)["status"] == "applied"
    from sotay_core.domain import study_figures

    result = b1.update("study_reports", rid, version(engine, ids["b1"], "study_reports", rid),
                       {"figures": [study_figures.to_json(B1),
                                    study_figures.to_json(bad["tally"])]})
    assert (result["status"], result["reason"]) == ("rejected", "invalid_value:figures")
    with Session(engine) as s:
        row = s.get(StatStudy, (plan_id, ids["b1"]))
        assert row is not None and json.loads(row.survey_tallies) == [[1, 1, 0], [2, 1], []]


def _fields(f: StudyFigures) -> dict:
    return {name: getattr(f, name) for name in f.__dataclass_fields__}


def test_the_statistics_roll_up_per_commune_and_equal_a_rebuild(env) -> None:
    ids, engine, branches = env["ids"], env["app"].state.engine, env["branches"]
    plan_id = plan(env, ids["p"])
    assert report(branches[ids["b1"]], plan_id, B1)["status"] == "applied"
    assert report(branches[ids["b2"]], plan_id, B2)["status"] == "applied"
    with Session(engine) as s, s.begin():
        province = s.get(Unit, ids["p"])
        tree = study_queries.plan_tree(s, plan_id, province)
        rows = {u.id: c for u, c in tree.rows}
        c1, c2 = rows[ids["c1"]], rows[ids["c2"]]
        assert (c1.branches, c1.reported, c1.targeted, c1.studied, c1.not_reached) == (
            2, 2, 8, 7, 1)
        assert (c1.quiz_sat, c1.quiz_passed, c1.sessions) == (6, 4, 3)
        assert (c2.branches, c2.reported, c2.silent, c2.targeted) == (1, 0, 1, 0)
        assert c2.members_silent == 1      # b3's one member on its books
        assert (tree.total.branches, tree.total.reported, tree.total.studied) == (3, 2, 7)
        content = study_queries.content(s, s.get(StudyPublication, plan_id))
        found = study_queries.results(s, content, plan_id, province)
        assert found.histogram == [1, 1, 2, 2]
        assert found.question_correct == [5, 2, 4]
        assert found.tallies == [[4, 3, 0], [3, 6], []]
        assert found.texts_count == [0, 0, 2]
        assert [b for b, _ in found.texts[2]] == ["Chi bộ thôn Đông", "Chi bộ thôn Tây"]
        # a commune's page sees its branches, each its own
        commune = s.get(Unit, ids["c1"])
        one = {u.name: c for u, c in study_queries.plan_tree(s, plan_id, commune).rows}
        assert (one["Chi bộ thôn Đông"].studied, one["Chi bộ thôn Tây"].studied) == (2, 5)
        assert [u.name for u in study_queries.silent_branches(s, plan_id, province)] == [
            "Chi bộ thôn Nam"]
        # the sums kept per commune are what the province's page adds up
        units = {u.unit_id: u for u in s.scalars(select(StatStudyUnit))}
        assert set(units) == {ids["c1"], ids["c2"]}
        one_commune = units[ids["c1"]]
        assert (one_commune.branches, one_commune.reported, one_commune.quiz_sat) == (2, 2, 6)
        assert json.loads(one_commune.histogram) == [1, 1, 2, 2]
        assert json.loads(one_commune.survey_written) == [0, 0, 2]
        assert (units[ids["c2"]].branches, units[ids["c2"]].reported) == (1, 0)
        branch = study_queries.results(s, content, plan_id, s.get(Unit, ids["b2"]))
        assert (branch.histogram, branch.texts_count) == ([1, 0, 2, 1], [0, 0, 1])
        kept = facts.snapshot(s)
        assert len(kept["stat_study"]) == 3 and len(kept["stat_study_units"]) == 2
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()


def test_a_later_deadline_and_a_withdrawal_rewrite_every_copy(env) -> None:
    ids, engine, b1 = env["ids"], env["app"].state.engine, env["branches"][env["ids"]["b1"]]
    plan_id = plan(env, ids["c1"])
    assert report(b1, plan_id, B1)["status"] == "applied"
    later = DUE + dt.timedelta(days=14)
    with Session(engine) as s, s.begin():
        assert study_publish.edit_plan(s, plan_id=plan_id, changes={"due_on": later}) == 2
    copies = _copies(engine, plan_id)
    assert {c["due_on"] for c in copies.values()} == {later.isoformat()}
    assert {c["quiz"] == copies[ids["b1"]]["quiz"] for c in copies.values()} == {True}
    pulled = [ch for ch in b1.sync()["changes"] if ch["entity"] == "study_plans"]
    assert pulled[-1]["data"]["due_on"] == later.isoformat()
    with Session(engine) as s, s.begin():
        # the quiz cannot change once published; a commune's staff cannot touch a plan of
        # another commune
        with pytest.raises(AdminError) as caught:
            study_publish.edit_plan(s, plan_id=plan_id, changes={"quiz": QUIZ})
        assert caught.value.code == "server_study_not_editable"
        with pytest.raises(AdminError) as caught:
            study_publish.edit_plan(s, plan_id=plan_id, changes={"due_on": later},
                                    within=s.get(Unit, ids["c2"]))
        assert caught.value.code == "server_study_not_found"
        assert study_publish.withdraw_plan(s, plan_id=plan_id) == 2
    copies = _copies(engine, plan_id)
    assert {c["_deleted"] for c in copies.values()} == {True}
    with Session(engine) as s:
        row = s.get(StatStudy, (plan_id, ids["b1"]))
        assert row is not None and not row.plan_live and row.reported and row.studied == 2
        assert s.get(StudyPublication, plan_id).withdrawn_at is not None


@pytest.mark.parametrize(("changes", "code"), [
    ({"title": "  "}, "server_study_title_required"),
    ({"quiz": "1. Câu hỏi\nA. Có\nB. Không"}, "study.no_correct"),
    ({"quiz": "1. Câu hỏi\n*A. Có\n*B. Không"}, "study.two_correct"),
    ({"survey": "1. Câu\nA. Chỉ một"}, "study.choices_count"),
    ({"quiz": "x" * (study_publish.MAX_TEXT + 1)}, "server_study_text_too_long"),
    ({"starts_on": DUE + dt.timedelta(days=1)}, "server_study_due_before_start"),
    ({"audience": "statuses"}, "study.bad_target"),
    ({"kind": "party"}, "server_study_bad_kind"),
    ({"document_ids": ["no-such-document"]}, "server_study_document_missing"),
])
def test_bad_plans_are_refused_in_words_and_nothing_is_written(env, changes, code) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    with pytest.raises(AdminError) as caught:
        plan(env, ids["c1"], **changes)
    assert caught.value.code == code
    with Session(engine) as s:
        assert not list(s.scalars(select(Record).where(Record.entity == "study_plans")))
        assert not list(s.scalars(select(StudyPublication)))


def test_a_document_must_have_reached_every_branch_of_the_plan(env) -> None:
    ids = env["ids"]
    only_b1 = document(env, ids["b1"], "Tài liệu riêng thôn Đông")
    with pytest.raises(AdminError) as caught:
        plan(env, ids["c1"], document_ids=[only_b1])
    assert caught.value.code == "server_study_document_missing"
    assert caught.value.params["branch"] == "Chi bộ thôn Tây"
    assert plan(env, ids["b1"], document_ids=[only_b1])


def test_a_plan_to_many_branches_keeps_the_same_statistics(env) -> None:
    """Past 20 branches the rows are read 500 at a time (a province: 17,000); the kept rows
    are those a rebuild makes, with a report already in and one added after."""
    from sync_server import admin, study_facts

    ids, engine = env["ids"], env["app"].state.engine
    with Session(engine) as s, s.begin():
        many = [admin.add_unit(s, name=f"Chi bộ số {i}", level="branch",
                               parent_id=ids["c2"]).id for i in range(30)]
    first = plan(env, ids["c2"])
    b3 = env["branches"][ids["b3"]]
    assert report(b3, first, B1)["status"] == "applied"
    second = plan(env, ids["p"], title="Chuyên đề hai")      # b3 has a report on the first
    assert report(b3, second, B2)["status"] == "applied"
    with Session(engine) as s, s.begin():
        assert len(_copies(engine, second)) == 33 and len(_copies(engine, first)) == 31
        rows = {r.scope_id: r for r in s.scalars(select(StatStudy).where(
            StatStudy.plan_id == second))}
        assert len(rows) == 33 and rows[ids["b3"]].studied == 5
        assert not rows[many[0]].reported and rows[many[0]].plan_live
        c2 = s.get(StatStudyUnit, (second, ids["c2"]))
        assert c2 is not None and (c2.branches, c2.reported, c2.quiz_sat) == (31, 1, 4)
        kept = facts.snapshot(s)
        study_facts.rebuild(s)
        assert facts.snapshot(s) == kept
        s.rollback()
