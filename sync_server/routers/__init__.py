"""The server's routes, one router per resource (as the FastAPI full-stack template's
``api/routes``): the JSON API of the branch PCs (``health``, ``enrolment``, ``sync``,
``files``) and the province pages by area (``province_*``). ``app.create_app`` includes them;
their dependencies are in ``sync_server.deps``."""

from __future__ import annotations

from fastapi import APIRouter

from sync_server.routers import (
    enrolment,
    files,
    health,
    province_branch,
    province_month,
    province_publish,
    province_reports,
    province_review,
    province_site,
    province_study,
    province_tree,
    sync,
)

API: tuple[APIRouter, ...] = (health.router, enrolment.router, sync.router, files.router)
PAGES: tuple[APIRouter, ...] = (province_site.router, province_tree.router,
                                province_branch.router, province_publish.router,
                                province_reports.router, province_month.router,
                                province_review.router, province_study.router)
