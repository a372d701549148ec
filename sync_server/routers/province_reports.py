"""The province pages' report of Party numbers: on screen, or downloaded as XLSX or PDF (the
downloads are official papers, in Vietnamese whatever the page's language)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sotay_core.i18n import t
from sync_server import admin, month_queries, queries, reports
from sync_server.deps import StaffDep
from sync_server.pages import PREFIX, PageError, download, lang_of, vn_today
from sync_server.routers.province_month import chart_of

router = APIRouter(prefix=PREFIX, include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reports", response_class=HTMLResponse)
def report(request: Request, staff: StaffDep, unit: str = "", format: str = "html"
           ) -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        target = ctx.unit_in_area(unit) if unit else ctx.unit
        today = vn_today()
        numbers = queries.party_numbers(db, target, today)
        months = queries.months(db, target, today)
        stem = f"dang-so-{today:%Y-%m-%d}"
        if format == "xlsx":
            admin.log_action(db, ctx.actor, "report", unit=target.id, format="xlsx")
            return download(reports.xlsx(numbers, months), f"{stem}.xlsx", XLSX)
        if format == "pdf":
            admin.log_action(db, ctx.actor, "report", unit=target.id, format="pdf")
            try:
                data = reports.pdf(numbers, months,
                                   month_queries.series(db, target, today))
            except reports.NoFont:
                raise PageError(503, "pages.errors.no_pdf_font",
                                back=f"{PREFIX}/reports") from None
            return download(data, f"{stem}.pdf", "application/pdf")
        if format != "html":
            raise PageError(400, "pages.errors.bad_report_format", back=f"{PREFIX}/reports")
        title = t("pages.reports.title", lang=lang_of(request), unit=target.name,
                  date=f"{today:%d/%m/%Y}")
        points, chart = chart_of(db, target, today, lang_of(request))
        return ctx.page(request, "reports.html", unit=target, numbers=numbers,
                        months=months, title=title, points=points, chart=chart,
                        crumbs=queries.ancestors_within(db, ctx.unit, target))
