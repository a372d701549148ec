"""Value rules of the secretary's month (issue 19): the dues book, the meeting's score and
the monthly report. Merged into ``record_rules.RULES`` and ``REQUIRED``."""

from __future__ import annotations

from sotay_core.domain.dues import (
    MAX_PAYMENT,
    REDUCTION_PERCENTS,
    DuesCategory,
    ExemptionKind,
    PaymentChannel,
)
from sotay_core.domain.entities import ReportStatus
from sotay_core.domain.field_rules import (
    DATE,
    MONEY,
    MONTH,
    PAST,
    PERCENT,
    FieldRule,
    block,
    choice,
    int_rule,
    line,
    ref,
)

MONTH_RULES: dict[str, dict[str, FieldRule]] = {
    "dues_rates": {
        "valid_from": DATE, "name": line(60), "salary_percent": PERCENT,
        "pension_percent": PERCENT, "retention_percent": PERCENT,
        "student_amount": MONEY, "other_default": MONEY, "other_min": MONEY,
        "other_max": MONEY, "note": block(20_000),
    },
    "dues_bases": {
        "member_id": ref("members"), "valid_from": DATE,
        "category": choice(DuesCategory), "amount": MONEY, "note": line(300),
    },
    "dues_exemptions": {
        "member_id": ref("members"), "kind": choice(ExemptionKind), "starts_on": DATE,
        "ends_on": DATE,
        "percent": int_rule(0, 100, int_choices=frozenset({*REDUCTION_PERCENTS, 100})),
        "decision": line(200), "note": line(300),
    },
    "dues_payments": {
        "member_id": ref("members"), "month": MONTH, "amount": int_rule(1, MAX_PAYMENT),
        "paid_on": PAST, "channel": choice(PaymentChannel), "receipt": line(40),
        "note": line(300),
    },
    "meeting_scores": {
        "meeting_id": ref("meetings"), "scheme": line(120), "items": block(20_000),
        "total": int_rule(0, 1000), "grade": line(40), "note": block(20_000),
    },
    "monthly_reports": {
        "month": MONTH, "figures": block(), "remarks": block(20_000),
        "status": choice(ReportStatus), "sent_on": PAST,
    },
}

# Fields a new record must carry (not null).
MONTH_REQUIRED: dict[str, tuple[str, ...]] = {
    "dues_rates": ("valid_from", "salary_percent", "pension_percent", "student_amount",
                   "other_default", "other_min", "other_max", "retention_percent"),
    "dues_bases": ("member_id", "valid_from", "category"),
    "dues_exemptions": ("member_id", "kind", "starts_on"),
    "dues_payments": ("member_id", "month", "amount", "paid_on"),
    "meeting_scores": ("meeting_id",),
    "monthly_reports": ("unit_id", "month"),
}
