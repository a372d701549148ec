"""The points a member earns from political study (điểm tích lũy, issue 21): a setting kept
in ``meta`` (key ``study_points``) like the review's scheme; unset, the core's defaults
(``study_plan.PointsRule``, UNCONFIRMED). A plan may name its own figure (``points``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError
from sotay_core.domain.study_plan import PointsRule
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.services import audit
from sotay_desktop.services.changes import Changes

POINTS_KEY = "study_points"
SETTINGS_CHANGES = Changes.of("study_settings")


def points_rule(session: Session) -> PointsRule:
    """The rule in force; a stored value that cannot be read gives the defaults."""
    raw = get_meta(session, POINTS_KEY) or ""
    try:
        return PointsRule.from_json(raw)
    except DomainError:
        return PointsRule()


def set_points_rule(session: Session, rule: PointsRule | str | None) -> Changes:
    """A rule (or its JSON, checked first); None: back to the defaults."""
    if rule is None:
        text = ""
    else:
        found = PointsRule.from_json(rule) if isinstance(rule, str) else rule
        text = PointsRule.from_json(found.to_json()).to_json()   # the range checked
    set_meta(session, POINTS_KEY, text)
    audit.record(session, "change", entity="meta", row_id=POINTS_KEY, detail=POINTS_KEY)
    return SETTINGS_CHANGES
