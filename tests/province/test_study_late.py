"""A branch added after a study plan was sent (issue 21, ``study_late``): it receives every
open plan sent to a unit above it (same id, province-owned, its PC pulls it) with the
documents the plan names, and the plan page counts it as a branch that sent nothing until
it reports; a withdrawn or past-due plan, or one sent to another commune, is not given.
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server import admin, facts, files, study_publish, study_queries
from sync_server.models import AdminLog, FileGrant, Record, StatStudy, StudyPublication, Unit
from sync_server.records import put_record
from tests.province.study_support import B1, document, plan, report
from tests.province.support import TODAY, Branch, login, text_of

pytestmark = pytest.mark.server


def _new_branch(env: dict[str, Any], under: str, name: str = "Chi bộ thôn Mới") -> Branch:
    """A branch added now (as `sotay-server unit add`), with its PC enrolled."""
    with Session(env["app"].state.engine) as s, s.begin():
        unit_id = admin.add_unit(s, name=name, level="branch", parent_id=under).id
        code = admin.enroll_device(s, unit_id=unit_id, label=name).code
    r = env["client"].post("/api/v1/enroll", json={"code": code, "label": "PC"})
    assert r.status_code == 200, r.text
    return Branch(env["client"], unit_id, r.json()["token"])


def _record(env: dict[str, Any], scope: str, entity: str, row_id: str) -> Record | None:
    with Session(env["app"].state.engine) as s:
        return s.get(Record, (scope, entity, row_id))


def test_a_branch_added_later_receives_the_open_plan_and_is_counted(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    doc = document(env, ids["p"])                    # published to the whole province
    plan_id = plan(env, ids["c1"], document_ids=[doc])
    assert report(env["branches"][ids["b1"]], plan_id, B1)["status"] == "applied"
    with Session(engine) as s, s.begin():           # a later deadline before the branch comes
        study_publish.edit_plan(s, plan_id=plan_id, changes={
            "due_on": TODAY + dt.timedelta(days=60)})
    new = _new_branch(env, ids["c1"])
    copy = _record(env, new.unit_id, "study_plans", plan_id)
    assert copy is not None and copy.province_owned and not copy.deleted
    data = json.loads(copy.data)
    assert data["unit_id"] == new.unit_id and data["issuer"] == "Tỉnh ủy Thái Bình"
    assert data["due_on"] == (TODAY + dt.timedelta(days=60)).isoformat()
    assert json.loads(data["documents"]) == [doc]
    # the document it names, and the file's grant as publishing writes it
    held = _record(env, new.unit_id, "documents", doc)
    assert held is not None and held.province_owned
    sha = json.loads(held.data)["file_sha256"]
    with Session(engine) as s:
        grant = s.get(FileGrant, (new.unit_id, sha))
        assert grant is not None and (grant.how, grant.via) == ("covered", ids["p"])
        assert s.get(StudyPublication, plan_id).branches == 3
    # its PC pulls both, and may download the file
    pulled = {(ch["entity"], ch["id"]) for ch in new.sync()["changes"]}
    assert {("study_plans", plan_id), ("documents", doc)} <= pulled
    # read-only there like every other copy
    result = new.update("study_plans", plan_id, copy.version, {"title": ["x", "y"]})
    assert (result["status"], result["reason"]) == ("rejected", "sync_read_only")
    # the plan page counts it: reached, sent nothing, no member targeted yet
    with Session(engine) as s, s.begin():
        commune = s.get(Unit, ids["c1"])
        tree = study_queries.plan_tree(s, plan_id, commune)
        assert (tree.total.branches, tree.total.reported, tree.total.silent) == (3, 1, 2)
        rows = {u.name: c for u, c in tree.rows}
        assert (rows["Chi bộ thôn Mới"].reported, rows["Chi bộ thôn Mới"].targeted) == (0, 0)
        assert "Chi bộ thôn Mới" in [u.name for u in study_queries.silent_branches(
            s, plan_id, commune)]
        row = s.get(StatStudy, (plan_id, new.unit_id))
        assert row is not None and row.plan_live and not row.reported
        kept = facts.snapshot(s)
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()
    login(env["client"])
    page = text_of(env["client"].get(f"/province/study/{plan_id}").text)
    assert "Chi bộ thôn Mới" in page
    # once it reports, it counts as reported
    assert report(new, plan_id, B1)["status"] == "applied"
    with Session(engine) as s:
        tree = study_queries.plan_tree(s, plan_id, s.get(Unit, ids["c1"]))
        assert (tree.total.branches, tree.total.reported, tree.total.targeted) == (3, 2, 6)


def test_withdrawn_past_due_and_other_communes_plans_are_not_given(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    withdrawn = plan(env, ids["c1"], title="Đã thu hồi")
    with Session(engine) as s, s.begin():
        study_publish.withdraw_plan(s, plan_id=withdrawn)
    past = plan(env, ids["c1"], title="Đã quá hạn")
    with Session(engine) as s, s.begin():       # its deadline passed (as days go by)
        s.get(StudyPublication, past).due_on = TODAY - dt.timedelta(days=1)
    due_today = plan(env, ids["c1"], title="Hạn hôm nay", due_on=TODAY)
    other = plan(env, ids["c2"], title="Xã khác")
    to_b1 = plan(env, ids["b1"], title="Riêng thôn Đông")
    new = _new_branch(env, ids["c1"])
    with Session(engine) as s:
        given = set(s.scalars(select(Record.id).where(
            Record.scope_id == new.unit_id, Record.entity == "study_plans")))
        assert given == {due_today}
        assert not {withdrawn, past, other, to_b1} & given
        stats = set(s.scalars(select(StatStudy.plan_id).where(
            StatStudy.scope_id == new.unit_id)))
        assert stats == {due_today}
    assert [ch["id"] for ch in new.sync()["changes"]
            if ch["entity"] == "study_plans"] == [due_today]
    # a commune added later gets nothing itself (plans live in branches' scopes only)
    with Session(engine) as s, s.begin():
        commune = admin.add_unit(s, name="Đảng ủy xã Mới", level="commune",
                                 parent_id=ids["p"]).id
    with Session(engine) as s:
        assert s.scalar(select(Record.id).where(Record.scope_id == commune)) is None


def test_a_document_sent_to_each_branch_alone_is_noted_and_the_plan_still_given(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    docs = [document(env, ids["b1"], "Tài liệu riêng"), ]
    with Session(engine) as s, s.begin():       # the same document sent to b2 by itself
        rec = s.get(Record, (ids["b1"], "documents", docs[0]))
        data = json.loads(rec.data)
        put_record(s, scope_id=ids["b2"], entity="documents", row_id=docs[0],
                         data=data | {"unit_id": ids["b2"]}, by="x", province_owned=True)
        files.grant(s, ids["b2"], data["file_sha256"], how="published", via=ids["b2"])
    plan_id = plan(env, ids["c1"], document_ids=docs)
    new = _new_branch(env, ids["c1"])
    assert _record(env, new.unit_id, "study_plans", plan_id) is not None
    assert _record(env, new.unit_id, "documents", docs[0]) is None
    with Session(engine) as s:
        entry = s.scalars(select(AdminLog).where(AdminLog.action == "study_late")).one()
        detail = json.loads(entry.detail)
        assert (detail["plans"], detail["lacking"]) == ([plan_id], docs)
