"""The study screen's sentences (issue 21): a plan's deadline in words, where it came from,
a quiz score, a session's kind; shared by the screen, its tabs and its dialogs."""

from __future__ import annotations

import datetime as dt

from sotay_core import i18n
from sotay_core.domain.study import Score
from sotay_core.domain.study_view import MemberLine, PlanInfo, PlanSummary, SessionLine

SESSION_KINDS = ("session", "makeup", "home")


def day_text(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def due_words(due_on: dt.date | None, today: dt.date, *, overdue: bool,
              done: bool = False) -> str:
    """"còn 12 ngày", "hạn hôm nay", "QUÁ HẠN 3 ngày", "đã xong"; "" without a deadline."""
    if due_on is None:
        return i18n.t("study_ui.no_due")
    left = (due_on - today).days
    if done:
        return i18n.t("study_ui.due_done")
    if overdue or left < 0:
        return i18n.t("study_ui.due_over", days=max(0, -left))
    if left == 0:
        return i18n.t("study_ui.due_today")
    return i18n.t("study_ui.due_left", days=left)


def origin_words(from_above: bool) -> str:
    return i18n.t("study_ui.from_above" if from_above else "study_ui.own")


def kind_words(kind: str) -> str:
    return i18n.t(f"study_ui.session_{kind}" if kind in SESSION_KINDS
                  else "study_ui.session_session")


def score_text(score: Score | None) -> str:
    """"3/4 · đạt" ("" before a sheet is entered)."""
    if score is None:
        return ""
    return i18n.t("study_ui.score_passed" if score.passed else "study_ui.score_failed",
                  correct=score.correct, total=score.total)


def plan_line(plan: PlanSummary, today: dt.date) -> str:
    """The plan in one sentence, for its tooltip and a screen reader."""
    return i18n.t("study_ui.plan_words", title=plan.title, origin=origin_words(plan.from_above),
                  due=due_words(plan.due_on, today, overdue=plan.overdue,
                                done=plan.targeted > 0 and plan.not_studied == 0),
                  studied=plan.studied, targeted=plan.targeted, sheets=plan.quiz_sat)


def member_words(line: MemberLine) -> str:
    sessions = ", ".join(day_text(d) for d in line.sessions)
    return i18n.t("study_ui.member_words", name=line.name,
                  status=i18n.t(f"status.{line.status.value}"),
                  sessions=sessions or i18n.t("study_ui.no_session"),
                  score=score_text(line.score) or i18n.t("study_ui.no_sheet"),
                  points=line.points)


def session_words(line: SessionLine) -> str:
    return i18n.t("study_ui.session_words", day=day_text(line.held_on),
                  kind=kind_words(line.kind), place=line.place or "—",
                  present=len(line.present))


def plan_source(plan: PlanInfo) -> str:
    """"cấp trên, Số 21-KH/ĐU, Đảng ủy xã Tân Lập"."""
    return ", ".join(part for part in (origin_words(plan.from_above), plan.number,
                                       plan.issuer) if part)
