"""The province pages of one branch: its numbers, its meetings, comments on its drafts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sotay_core.domain.dues import Month
from sync_server import admin, month_queries, queries, review_queries
from sync_server.deps import StaffDep
from sync_server.pages import PREFIX, PageError, id_of, read_form, vn_today

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/branches/{unit_id}", response_class=HTMLResponse)
def branch_page(request: Request, staff: StaffDep, unit_id: str, year: int | None = None
                ) -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        branch = ctx.unit_in_area(unit_id, "branch")
        admin.log_action(db, ctx.actor, "staff_view", branch=branch.id)
        today = vn_today()
        numbers = queries.party_numbers(db, branch, today)
        # the dues book of the last month's year, through the last month (computed now)
        last = Month.of(today).plus(-1)
        if year is not None and 2000 <= year < last.year:
            last = Month(year, 12)     # a past year's book, whole
        book = month_queries.branch_book(db, branch, last.year, last)
        return ctx.page(request, "branch.html", branch=branch, numbers=numbers,
                        crumbs=queries.ancestors_within(db, ctx.unit, branch),
                        meetings=queries.branch_meetings(db, branch), book=book,
                        book_flags=month_queries.flag_counts(book) if book else (0, 0),
                        reports=month_queries.branch_reports(db, branch),
                        reviews=review_queries.branch_campaigns(db, branch))


@router.get("/branches/{unit_id}/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(request: Request, staff: StaffDep, unit_id: str, meeting_id: str
                 ) -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        branch = ctx.unit_in_area(unit_id, "branch")
        meeting = queries.meeting_view(db, branch, id_of(meeting_id))
        if meeting is None:
            raise PageError(404, "pages.errors.no_meeting", back=f"{PREFIX}/branches/{branch.id}")
        admin.log_action(db, ctx.actor, "staff_view", branch=branch.id, meeting=meeting.id)
        return ctx.page(request, "meeting.html", branch=branch, meeting=meeting,
                        crumbs=queries.ancestors_within(db, ctx.unit, branch),
                        saved=request.query_params.get("saved") == "1")


@router.post("/branches/{unit_id}/resolutions/{resolution_id}/comments")
async def comment(request: Request, staff: StaffDep, unit_id: str, resolution_id: str
                  ) -> Response:
    form = await read_form(request)

    def write() -> str:
        with staff.begin() as ctx:
            db = ctx.db
            branch = ctx.unit_in_area(unit_id, "branch")
            res = queries.record(db, branch.id, "resolutions", id_of(resolution_id))
            back = (f"{PREFIX}/branches/{branch.id}/meetings/{res.get('meeting_id')}"
                    if res else f"{PREFIX}/branches/{branch.id}")
            ctx.spend(str(form.get("form_token") or ""), back)
            author = f"{ctx.user.display_name} ({ctx.unit.name})"
            try:
                admin.add_comment(db, branch_id=branch.id, resolution_id=id_of(resolution_id),
                                  body=str(form.get("body") or ""), author=author,
                                  actor=ctx.actor)
            except admin.AdminError as exc:
                raise PageError(400, "", back=back, code=exc.code, **exc.params) from None
            return back

    back = await run_in_threadpool(write)
    return RedirectResponse(f"{back}?saved=1", status_code=303)
