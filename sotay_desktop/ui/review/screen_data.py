"""What the review screen reads in one query (``read``: the settings, the chosen campaign,
who is left out, the voting base) and the sentences it shows about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sotay_core import i18n
from sotay_core.domain.review import Grade, Period, Scheme
from sotay_core.domain.review_setting import Policy
from sotay_core.domain.review_sheet import CampaignView
from sotay_desktop.ui.review.models import abbr, counts_line, day_text
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace


@dataclass(frozen=True, slots=True)
class ScreenData:
    """What one read brings: the settings, the chosen campaign (None: not opened), who is
    left out and why, the default voting base."""

    year: int
    quarter: int | None
    policy: Policy
    scheme: Scheme
    view: CampaignView | None
    left_out: tuple[Any, ...]
    voting_base: int


def read(ws: Workspace, year: int, quarter: int | None) -> ScreenData:
    policy = review.policy(ws)
    if not policy.quarters:
        quarter = None
    period = Period.YEAR if quarter is None else Period(f"q{quarter}")
    exists = any(c.year == year and c.period is period for c in review.campaigns(ws))
    view = review.view(ws, year, quarter) if exists else None
    return ScreenData(year, quarter, policy, review.scheme(ws), view,
                      tuple(review.left_out(ws, year, quarter)),
                      review.voting_base(ws, year, quarter) if exists else 0)


def period_words(data: ScreenData) -> str:
    if data.quarter is None:
        return i18n.t("review_ui.period_year", year=data.year)
    return i18n.t("review_ui.period_quarter", quarter=data.quarter, year=data.year)


def state_text(data: ScreenData) -> str:
    """The campaign's state in words: not opened, open, held on a day, sent up."""
    words, view = period_words(data), data.view
    if view is None:
        return i18n.t("review_ui.state_none", period=words)
    written = sum(bool(s.self_text or s.self_points is not None) for s in view.sheets)
    proposed = sum(s.grade is not None for s in view.sheets)
    return i18n.t(f"review_ui.state_{view.status}", period=words[:1].upper() + words[1:],
                  members=len(view.sheets), written=written, proposed=proposed,
                  held_on=day_text(view.held_on))


def counts_text(view: CampaignView | None, summary: review.Summary | None) -> str:
    """Members per proposed grade and the branch's own; per decided grade once down."""
    if view is None or summary is None:
        return ""
    nothing = i18n.t("review_ui.nothing")
    text = i18n.t("review_ui.counts_text", proposed=summary.proposed, members=summary.members,
                  counts=counts_line(summary.counts),
                  branch=abbr(view.branch.grade if view.branch else None) or nothing)
    if any(summary.decided.values()) or summary.branch_decided:
        numbers = sorted({x.decision for x in (*view.sheets, view.branch)
                          if x is not None and x.decision})
        decided = Grade(summary.branch_decided) if summary.branch_decided else None
        text += "\n" + i18n.t("review_ui.decided_text", counts=counts_line(summary.decided),
                              decisions=", ".join(numbers) or "—",
                              branch=abbr(decided) or nothing)
    return text
