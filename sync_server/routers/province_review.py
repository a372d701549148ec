"""The province pages of the annual review (issue 20): a branch's campaign of a year, its
members' proposed grades and the level above's decision, which the commune (or province)
staff record there; the tree page's grade distribution is read by ``province_tree`` through
``review_queries.review_tree``."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sotay_core.domain.review import Grade
from sync_server import admin, queries, review_decide, review_queries
from sync_server.admin import AdminError
from sync_server.deps import StaffDep
from sync_server.pages import PREFIX, PageError, lang_of, read_form, vn_today

router = APIRouter(prefix=PREFIX, include_in_schema=False)

# A form field per member (its grade) and the decision's own six: a branch of 1,000 members.
MAX_FIELDS = 1_010


def default_year(today: dt.date) -> int:
    """The year whose review the level above is busy with: the branches review the year in
    December and the decisions come in the first weeks of the next."""
    return today.year if today.month == 12 else today.year - 1


def year_of(text: str | None, today: dt.date, back: str) -> int:
    if not text:
        return default_year(today)
    try:
        return review_decide.parse_year(text)
    except AdminError as exc:
        raise PageError(400, "", back=back, code=exc.code, **exc.params) from None


def review_url(branch_id: str, year: int, period: str = "year") -> str:
    return f"{PREFIX}/branches/{branch_id}/review?year={year}&period={period}"


@router.get("/branches/{unit_id}/review", response_class=HTMLResponse)
def review_page(request: Request, staff: StaffDep, unit_id: str, year: str | None = None,
                period: str = "year") -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        branch = ctx.unit_in_area(unit_id, "branch")
        back = f"{PREFIX}/branches/{branch.id}"
        chosen = year_of(year, vn_today(), back)
        try:
            which = review_decide.parse_period(period)
        except AdminError as exc:
            raise PageError(400, "", back=back, code=exc.code, **exc.params) from None
        campaign = review_queries.campaign_page(db, branch, chosen, which)
        admin.log_action(db, ctx.actor, "staff_view", branch=branch.id, review=chosen,
                         period=which.value)
        return ctx.page(request, "review.html", branch=branch, year=chosen,
                        period=which.value, campaign=campaign, grades=list(Grade),
                        campaigns=review_queries.branch_campaigns(db, branch),
                        crumbs=queries.ancestors_within(db, ctx.unit, branch),
                        issuer=ctx.unit.name, today=vn_today(),
                        saved=request.query_params.get("saved", ""))


@router.post("/branches/{unit_id}/review/decide")
async def decide(request: Request, staff: StaffDep, unit_id: str) -> Response:
    form = await read_form(request, fields=MAX_FIELDS)

    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    def write() -> str:
        with staff.begin() as ctx:
            branch = ctx.unit_in_area(unit_id, "branch")
            back = f"{PREFIX}/branches/{branch.id}"
            try:
                year = review_decide.parse_year(text("year"))
                period = review_decide.parse_period(text("period"))
            except AdminError as exc:
                raise PageError(400, "", back=back, code=exc.code, **exc.params) from None
            back = review_url(branch.id, year, period.value)
            ctx.spend(text("form_token"), back)
            try:
                grades: dict[str, Grade | None] = {}
                for name, value in form.multi_items():
                    if name.startswith("g.") and isinstance(value, str):
                        grades[name[2:]] = review_decide.parse_grade(value) if value else None
                review_decide.decide(
                    ctx.db, branch=branch, year=year, period=period, number=text("number"),
                    decided_on=review_decide.parse_day(text("decided_on")),
                    issuer=text("issuer"), note=text("note"), grades=grades, actor=ctx.actor)
            except AdminError as exc:
                params = dict(exc.params)
                if "when" in params:   # in the page's language
                    params["when"] = review_decide.when_words(year, period, lang_of(request))
                raise PageError(400, "", back=back, code=exc.code, **params) from None
            return back

    back = await run_in_threadpool(write)
    return RedirectResponse(f"{back}&saved=1", status_code=303)

