"""The province pages of the secretary's month (issue 19): a branch's monthly report as a
page, marked received and commented on by the commune; and the 12-month chart the tree and
reports pages show."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sotay_core.domain.entities import EventKind
from sotay_core.i18n import t
from sync_server import admin, chart, month_queries, queries, report_receipts
from sync_server.deps import StaffDep
from sync_server.models import Unit
from sync_server.pages import PREFIX, PageError, id_of, lang_of, read_form

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def chart_of(db: Session, unit: Unit, last: dt.date, lang: str
             ) -> tuple[list[month_queries.SeriesPoint], Markup]:
    """The 12 months to ``last`` of ``unit``'s subtree, and their chart as inline SVG."""
    points = month_queries.series(db, unit, last)
    words = chart.ChartWords(
        title=t("pages.month.chart_title", lang=lang, unit=unit.name,
                first=points[0].label, last=points[-1].label),
        desc=t("pages.month.chart_desc", lang=lang, held=sum(p.held for p in points),
               collected=chart.money(sum(p.collected for p in points))),
        held=t("pages.month.chart_held", lang=lang),
        attendance=t("pages.month.chart_attendance", lang=lang),
        collected=t("pages.month.chart_collected", lang=lang))
    marks = [chart.Point(p.label, p.held, p.branches, p.attendance, p.collected)
             for p in points]
    # the markup is built from numbers and escaped words only (chart.svg escapes every text)
    return points, Markup(chart.svg(marks, words))


def _report_url(branch_id: str, report_id: str) -> str:
    return f"{PREFIX}/branches/{branch_id}/reports/{report_id}"


@router.get("/branches/{unit_id}/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, staff: StaffDep, unit_id: str, report_id: str) -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        branch = ctx.unit_in_area(unit_id, "branch")
        report = month_queries.report_view(db, branch, id_of(report_id))
        if report is None:
            raise PageError(404, "pages.errors.no_report", back=f"{PREFIX}/branches/{branch.id}")
        admin.log_action(db, ctx.actor, "staff_view", branch=branch.id, report=report.id)
        lang = lang_of(request)
        events = {kind.value: t(f"event.{kind.value}", lang=lang) for kind in EventKind}
        return ctx.page(request, "report.html", branch=branch, report=report, events=events,
                        crumbs=queries.ancestors_within(db, ctx.unit, branch),
                        saved=request.query_params.get("saved", ""))


async def _post(request: Request, staff: StaffDep, unit_id: str, report_id: str,
                action: str) -> Response:
    form = await read_form(request)

    def write() -> str:
        with staff.begin() as ctx:
            branch = ctx.unit_in_area(unit_id, "branch")
            back = _report_url(branch.id, id_of(report_id))
            ctx.spend(str(form.get("form_token") or ""), back)
            author = f"{ctx.user.display_name} ({ctx.unit.name})"
            try:
                if action == "received":
                    report_receipts.mark_received(ctx.db, branch_id=branch.id,
                                                  report_id=id_of(report_id), by=author,
                                                  actor=ctx.actor)
                else:
                    report_receipts.add_comment(ctx.db, branch_id=branch.id,
                                                report_id=id_of(report_id),
                                                body=str(form.get("body") or ""),
                                                author=author, actor=ctx.actor)
            except admin.AdminError as exc:
                raise PageError(400, "", back=back, code=exc.code, **exc.params) from None
            return back

    back = await run_in_threadpool(write)
    return RedirectResponse(f"{back}?saved={action}", status_code=303)


@router.post("/branches/{unit_id}/reports/{report_id}/received")
async def received(request: Request, staff: StaffDep, unit_id: str, report_id: str
                   ) -> Response:
    return await _post(request, staff, unit_id, report_id, "received")


@router.post("/branches/{unit_id}/reports/{report_id}/comments")
async def comment(request: Request, staff: StaffDep, unit_id: str, report_id: str
                  ) -> Response:
    return await _post(request, staff, unit_id, report_id, "comment")
