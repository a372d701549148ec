"""The province pages' organisation tree: a unit and the units below it, month by month."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sotay_core.domain.review import Grade
from sync_server import month_queries, queries, review_queries
from sync_server.deps import StaffDep
from sync_server.pages import PREFIX, PageError, lang_of, vn_today
from sync_server.routers.province_month import chart_of
from sync_server.routers.province_review import default_year, year_of

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def month_of(text: str | None, today: dt.date) -> tuple[int, int]:
    """The month asked for (``2026-11``), or the last one: the month whose meeting, dues
    and report the commune looks at (the report for a month is sent early the next)."""
    if text:
        try:
            y, m = (int(p) for p in text.split("-", 1))
            if 2000 <= y <= 2100 and 1 <= m <= 12:
                return y, m
        except ValueError:
            pass
        raise PageError(400, "pages.errors.bad_month", value=text[:20])
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@router.get("/", response_class=HTMLResponse)
def home(staff: StaffDep) -> Response:
    with staff.begin() as ctx:
        return RedirectResponse(f"{PREFIX}/units/{ctx.unit.id}", status_code=303)


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(request: Request, staff: StaffDep, unit_id: str, month: str | None = None,
              review_year: str | None = None) -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        unit = ctx.unit_in_area(unit_id)
        if unit.level == "branch":
            return RedirectResponse(f"{PREFIX}/branches/{unit.id}", status_code=303)
        today = vn_today()
        year, mon = month_of(month, today)
        data = queries.tree(db, unit, year, mon)
        figures = month_queries.month_tree(db, unit, year, mon)
        points, chart = chart_of(db, unit, dt.date(year, mon, 1), lang_of(request))
        # the year's annual review (issue 20), per child as the rows above
        review = review_queries.review_tree(
            db, unit, year_of(review_year, today, f"{PREFIX}/units/{unit.id}"),
            {row.unit.id: row.branches for row in data.rows})
        prev_m = (year - 1, 12) if mon == 1 else (year, mon - 1)
        next_m = (year + 1, 1) if mon == 12 else (year, mon + 1)
        # each row of the tree with its figures, paired here: a {% set %} in the template's
        # loops would make every t() call in them copy the whole context
        month_rows = [(row, f) for row in data.rows if (f := figures.rows.get(row.unit.id))]
        review_rows = [(row, r) for row in data.rows if (r := review.rows.get(row.unit.id))]
        return ctx.page(request, "tree.html", tree=data, unit=unit, figures=figures,
                        total=data.total, ft=figures.total, month_rows=month_rows,
                        review_rows=review_rows,
                        points=points, chart=chart, review=review, review_grades=list(Grade),
                        review_last=default_year(today) + 1,
                        crumbs=queries.ancestors_within(db, ctx.unit, unit),
                        month=f"{year}-{mon:02d}", month_label=f"{mon:02d}/{year}",
                        prev_month=f"{prev_m[0]}-{prev_m[1]:02d}",
                        next_month=f"{next_m[0]}-{next_m[1]:02d}"
                        if next_m <= (today.year, today.month) else "")
