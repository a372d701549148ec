"""The province pages of political study (issue 21): the plans reaching the staff member's
area, the form publishing one down to the branches (``study_publish``), and a plan's page:
completion per unit below (counts only: members never reached are a number, never a name),
the quiz's score distribution and right answers per question, the survey's totals and
written answers, a contest's named results (UNCONFIRMED); its XLSX and PDF; changing the
deadline or withdrawing it. A plan addressed outside the area and not above it answers the
same 404 page as a plan that does not exist."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from sotay_core.domain.study import LETTERS
from sotay_core.i18n import t
from sotay_core.protocol import MAX_WIRE_BYTES
from sync_server import (
    admin,
    published,
    queries,
    records,
    reports,
    study_publish,
    study_queries,
    study_reports,
)
from sync_server.admin import AdminError
from sync_server.deps import StaffDep
from sync_server.models import StudyPublication, Unit
from sync_server.pages import (
    PREFIX,
    PageError,
    StaffContext,
    download,
    id_of,
    lang_of,
    read_form,
    vn_today,
)
from sync_server.routers.province_publish import publish_targets
from sync_server.routers.province_reports import XLSX

router = APIRouter(prefix=PREFIX, include_in_schema=False)
STUDY = f"{PREFIX}/study"
NEW = f"{STUDY}/new"
STATUSES = ("official", "probationary", "exempted", "away", "temporary")
FORM_FIELDS = 40 + study_publish.MAX_DOCUMENTS


def _plan_url(plan_id: str, unit: Unit | None = None) -> str:
    return f"{STUDY}/{plan_id}" + (f"?unit={unit.id}" if unit is not None else "")


def _visible(ctx: StaffContext, plan_id: str) -> StudyPublication:
    pub = ctx.db.get(StudyPublication, id_of(plan_id))
    if pub is None or not study_queries.visible(pub, ctx.unit):
        raise PageError(404, "pages.study_errors.no_plan", back=STUDY)
    return pub


def _unit_for(ctx: StaffContext, pub: StudyPublication, unit_id: str) -> Unit:
    """The unit whose figures are shown: the staff member's own, or one below it that the
    plan reaches (or is addressed below)."""
    unit = ctx.unit_in_area(unit_id) if unit_id else ctx.unit
    if not study_queries.visible(pub, unit):
        raise PageError(404, "pages.study_errors.no_plan", back=_plan_url(pub.id))
    return unit


@router.get("/study", response_class=HTMLResponse)
def plan_list(request: Request, staff: StaffDep, unit: str = "") -> Response:
    with staff.begin() as ctx:
        target = ctx.unit_in_area(unit) if unit else ctx.unit
        return ctx.page(request, "study_list.html", unit=target,
                        plans=study_queries.plans(ctx.db, target), today=vn_today(),
                        crumbs=queries.ancestors_within(ctx.db, ctx.unit, target))


def _form_page(request: Request, ctx: StaffContext, chosen: Unit, values: dict[str, Any],
               error: str = "", status: int = 200) -> HTMLResponse:
    return ctx.page(request, "study_form.html", status, targets=publish_targets(ctx.db, ctx.unit),
                    chosen=chosen, values=values, error=error, statuses=STATUSES,
                    today=vn_today(),
                    publications=published.publications(ctx.db, ctx.unit),
                    most=study_publish.MAX_TEXT)


@router.get("/study/new", response_class=HTMLResponse)
def plan_form(request: Request, staff: StaffDep, to: str = "") -> Response:
    with staff.begin() as ctx:
        chosen = ctx.unit_in_area(to) if to else ctx.unit
        return _form_page(request, ctx, chosen, {"kind": "study", "audience": "all",
                                                 "pass_percent": "50"})


def _text(form: FormData, name: str, most: int = 2_000) -> str:
    value = form.get(name)
    return value[:most] if isinstance(value, str) else ""


@router.post("/study/new", response_class=HTMLResponse)
async def publish(request: Request, staff: StaffDep) -> Response:
    form = await read_form(request, fields=FORM_FIELDS, part_size=MAX_WIRE_BYTES)
    big = study_publish.MAX_TEXT + 1     # past the limit: refused in words, not cut
    values: dict[str, Any] = {k: _text(form, k, big) for k in (
        "to", "title", "number", "issued_on", "starts_on", "due_on", "kind", "audience",
        "quiz", "pass_percent", "survey", "points", "note")}
    values["statuses"] = [v for v in form.getlist("statuses") if isinstance(v, str)][:10]
    values["documents"] = [v for v in form.getlist("documents") if isinstance(v, str)]

    def write() -> Response:
        with staff.begin() as ctx:
            ctx.spend(_text(form, "form_token", 200), NEW)
            target = ctx.unit_in_area(values["to"]) if values["to"] else ctx.unit
            try:
                with ctx.db.begin_nested():
                    done = _publish(ctx, target, values)
            except AdminError as exc:
                records.forget_locks(ctx.db)
                message = PageError(400, "", back=NEW, code=exc.code, **exc.params).text(
                    lang_of(request))
                return _form_page(request, ctx, target, values, message, 400)
            return RedirectResponse(f"{STUDY}/{done.plan_id}?sent={done.branches}",
                                    status_code=303)

    return await run_in_threadpool(write)


def _publish(ctx: StaffContext, target: Unit, v: dict[str, Any]
             ) -> study_publish.PlanPublished:
    pass_mark = _number_of(v["pass_percent"], "server_field.pass_percent")
    due = study_publish.parse_day(v["due_on"], "server_field.due_on", required=True)
    assert due is not None
    return study_publish.publish_plan(
        ctx.db, to_unit=target.id, title=v["title"][:600], number=v["number"][:100],
        issuer_id=ctx.unit.id,
        issued_on=study_publish.parse_day(v["issued_on"], "server_field.issued_on"),
        starts_on=study_publish.parse_day(v["starts_on"], "server_field.starts_on"),
        due_on=due, document_ids=v["documents"], audience=v["audience"],
        statuses=v["statuses"], kind=v["kind"], quiz=v["quiz"], survey=v["survey"],
        pass_percent=50 if pass_mark is None else pass_mark,
        points=_number_of(v["points"], "server_field.points"), note=v["note"][:20_000],
        actor=ctx.actor)


def _number_of(text: str, field: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 6:
        raise AdminError("server_study_bad_number", field=t(field), value=value[:20])
    return int(value)


@router.get("/study/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, staff: StaffDep, plan_id: str, unit: str = "") -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        pub = _visible(ctx, plan_id)
        where = _unit_for(ctx, pub, unit)
        plan = study_queries.content(db, pub)
        tree = study_queries.plan_tree(db, pub.id, where)
        found = study_queries.results(db, plan, pub.id, where)
        silent = study_queries.silent_branches(db, pub.id, where, limit=200) \
            if tree.total.silent else []
        admin.log_action(db, ctx.actor, "staff_view", study_plan=pub.id, unit=where.id)
        return ctx.page(request, "study_plan.html", pub=pub, plan=plan, unit=where,
                        tree=tree, total=tree.total, results=found, silent=silent,
                        survey_lines=_survey_lines(plan, found), today=vn_today(),
                        own=pub.to_path.startswith(ctx.unit.path),
                        hist_max=max(found.histogram or [0]) or 1,
                        sent=request.query_params.get("sent", ""),
                        saved=request.query_params.get("saved", ""),
                        crumbs=queries.ancestors_within(db, ctx.unit, where))


def _survey_lines(plan: study_queries.PlanContent, found: study_queries.Results
                  ) -> list[tuple[int, Any, list[tuple[str, str, int]], Any, int]]:
    """Each survey question with its choices' totals and written answers, paired here (no
    index arithmetic in the template)."""
    if plan.survey is None:
        return []
    return [(i + 1, q, [(LETTERS[j], c, found.tallies[i][j]) for j, c in enumerate(q.choices)],
             found.texts[i], found.texts_count[i]) for i, q in enumerate(plan.survey.questions)]


@router.get("/study/{plan_id}/download")
def plan_download(staff: StaffDep, plan_id: str, unit: str = "", format: str = "xlsx"
                  ) -> Response:
    with staff.begin() as ctx:
        pub = _visible(ctx, plan_id)
        where = _unit_for(ctx, pub, unit)
        if format not in ("xlsx", "pdf"):
            raise PageError(400, "pages.errors.bad_report_format", back=_plan_url(pub.id))
        report = study_reports.gather(ctx.db, pub, where)
        admin.log_action(ctx.db, ctx.actor, "report", study_plan=pub.id, unit=where.id,
                         format=format)
        stem = f"hoc-tap-{pub.id[:8]}-{vn_today():%Y-%m-%d}"
        if format == "xlsx":
            return download(study_reports.xlsx(report), f"{stem}.xlsx", XLSX)
        try:
            data = study_reports.pdf(report)
        except reports.NoFont:
            raise PageError(503, "pages.errors.no_pdf_font", back=_plan_url(pub.id)) from None
        return download(data, f"{stem}.pdf", "application/pdf")


@router.post("/study/{plan_id}/edit")
async def plan_edit(request: Request, staff: StaffDep, plan_id: str) -> Response:
    form = await read_form(request)

    def write() -> str:
        with staff.begin() as ctx:
            back = _plan_url(id_of(plan_id))
            ctx.spend(_text(form, "form_token", 200), back)
            try:
                changes: dict[str, Any] = {
                    "title": _text(form, "title", 600), "number": _text(form, "number", 100),
                    "due_on": study_publish.parse_day(_text(form, "due_on", 20),
                                                      "server_field.due_on", required=True),
                    "note": _text(form, "note", 20_000)}
                study_publish.edit_plan(ctx.db, plan_id=id_of(plan_id), changes=changes,
                                        within=ctx.unit, actor=ctx.actor)
            except AdminError as exc:
                status = 404 if exc.code == "server_study_not_found" else 400
                raise PageError(status, "", back=back, code=exc.code, **exc.params) from None
            return back

    back = await run_in_threadpool(write)
    return RedirectResponse(f"{back}?saved=edit", status_code=303)


@router.post("/study/{plan_id}/withdraw")
async def plan_withdraw(request: Request, staff: StaffDep, plan_id: str) -> Response:
    form = await read_form(request)

    def write() -> str:
        with staff.begin() as ctx:
            back = _plan_url(id_of(plan_id))
            ctx.spend(_text(form, "form_token", 200), back)
            if _text(form, "confirm", 10) != "yes":
                raise PageError(400, "pages.study_errors.confirm_withdraw", back=back)
            try:
                study_publish.withdraw_plan(ctx.db, plan_id=id_of(plan_id), within=ctx.unit,
                                            actor=ctx.actor)
            except AdminError as exc:
                status = 404 if exc.code == "server_study_not_found" else 400
                raise PageError(status, "", back=back, code=exc.code, **exc.params) from None
            return back

    back = await run_in_threadpool(write)
    return RedirectResponse(f"{back}?saved=withdrawn", status_code=303)
