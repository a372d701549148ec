"""Admission of new members (phát triển đảng viên): the pure rules of the candidate pipeline.

From outstanding citizen (quần chúng ưu tú) to full membership: the steps, the deadlines that
follow from their dates, and the checks that refuse a step breaking a rule. No storage, no
clock: the caller passes the dates and the sponsors' event histories.

Every figure lives in :class:`AdmissionRules`, with the best-known value as default. Figures
not confirmed against QĐ 294-QĐ/TW / HD 06-HD/BTCTW (2025), which replace QĐ 24-QĐ/TW (2021)
and HD 01-HD/TW (2021), are marked UNCONFIRMED.

Conventions:

- An age or a party age "N years on a day" is reached on the N-th anniversary (a 29 Feb start
  has its anniversary on 28 Feb in common years, as :func:`dates.add_years`).
- Probation ends 12 months to the day after the ceremony (:func:`rules.probation_end`); the
  full-membership resolution may be passed on that day, not before.
- Working days are Monday to Friday minus the public holidays given in the rules; the
  deadline "within N working days of the decision" is the N-th working day after the decision.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sotay_core.domain.dates import add_months, add_years, format_vn, whole_months
from sotay_core.domain.entities import MemberEvent
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.lifecycle import Stage, state_on
from sotay_core.domain.rules import party_age, probation_end


@dataclass(frozen=True, slots=True)
class AdmissionRules:
    """The admission figures, each a setting."""

    # QĐ 24-QĐ/TW §1.1 and HD 01-HD/TW (2021), via thuvienphapluat.vn: "đủ 18 tuổi đến đủ 60
    # tuổi (tính theo tháng)" when the chi bộ considers admission. Counted here to the day
    # (UNCONFIRMED: "tính theo tháng" may mean month granularity).
    minimum_age: int = 18
    # Over 60 needs the provincial standing committee's written consent (same source); None
    # means no upper limit. UNCONFIRMED under QĐ 294 / HD 06.
    maximum_age: int | None = 60
    # Certificate of the course "bồi dưỡng nhận thức về Đảng": valid 60 months from issue
    # (HD 01-HD/TW 2021, from memory). UNCONFIRMED.
    certificate_valid_months: int = 60
    # Sponsors: official members who worked with the candidate ≥ 12 months (Điều lệ Đảng,
    # secondary sources). A minimum party age of 1 year is UNCONFIRMED (a local guide says so).
    sponsor_min_party_years: int = 1
    sponsor_together_months: int = 12
    sponsors_needed: int = 2           # 1 when the Youth Union introduces (UNCONFIRMED)
    # Branch resolution: at least 2/3 of official members (domain.md §4, QĐ 24). As a fraction
    # with a strictness flag, so "more than half" is (1, 2, strict=True).
    majority_numerator: int = 2
    majority_denominator: int = 3
    majority_strict: bool = False
    # Ceremony within 30 working days of the decision (domain.md §4, HD 12-HD/BTCTW 2022).
    ceremony_working_days: int = 30
    # Probation 12 months from the ceremony; full-membership resolution within 30 working days
    # after it ends (domain.md §4).
    probation_months: int = 12
    official_review_working_days: int = 30
    public_holidays: frozenset[dt.date] = frozenset()


DEFAULT_ADMISSION_RULES = AdmissionRules()


class Step(StrEnum):
    """The candidate's path, in order."""

    OUTSTANDING = "outstanding"            # quần chúng ưu tú, chosen by the chi bộ
    TRAINING = "training"                  # lớp bồi dưỡng nhận thức về Đảng (certificate)
    APPLICATION = "application"            # đơn xin vào Đảng
    BACKGROUND = "background"              # lý lịch người xin vào Đảng
    SPONSORS = "sponsors"                  # giấy giới thiệu của đảng viên
    MASS_COMMENTS = "mass_comments"        # nhận xét của đoàn thể, nơi cư trú
    BRANCH_RESOLUTION = "branch_resolution"  # nghị quyết chi bộ đề nghị kết nạp
    DECISION = "decision"                  # quyết định kết nạp của cấp trên
    CEREMONY = "ceremony"                  # lễ kết nạp
    PROBATION = "probation"                # thời gian dự bị
    SELF_REVIEW = "self_review"            # bản tự kiểm điểm của đảng viên dự bị
    OFFICIAL_RESOLUTION = "official_resolution"  # nghị quyết công nhận chính thức


STEPS: tuple[Step, ...] = tuple(Step)


class CandidateStatus(StrEnum):
    ACTIVE = "active"          # on the path
    ADMITTED = "admitted"      # the ceremony made them a (probationary) member
    OFFICIAL = "official"      # full membership recognised
    STOPPED = "stopped"        # the path ended without admission (withdrawn, refused)


def next_step(done: Iterable[Step]) -> Step | None:
    """The first step not done yet, or None when the whole path is done."""
    finished = set(done)
    return next((step for step in STEPS if step not in finished), None)


# --- working days -----------------------------------------------------------------------


def is_working_day(day: dt.date, holidays: Iterable[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in set(holidays)


def add_working_days(day: dt.date, n: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself never counts; n = 0 is ``day``)."""
    if n < 0:
        raise ValueError(n)
    off = frozenset(holidays)
    current, left = day, n
    while left:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


# --- deadlines --------------------------------------------------------------------------


def ceremony_deadline(decided_on: dt.date,
                      rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> dt.date:
    """The last day the ceremony may be held after the admission decision."""
    return add_working_days(decided_on, rules.ceremony_working_days, rules.public_holidays)


def certificate_expires(issued_on: dt.date,
                        rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> dt.date:
    """The first day the training certificate no longer counts."""
    return add_months(issued_on, rules.certificate_valid_months)


def official_from(ceremony_on: dt.date,
                  rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> dt.date:
    """The day full membership counts from (end of probation), even if processed late."""
    return probation_end(ceremony_on, months=rules.probation_months)


def official_review_deadline(ceremony_on: dt.date,
                             rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> dt.date:
    """The last day for the chi bộ to consider full membership."""
    return add_working_days(official_from(ceremony_on, rules),
                            rules.official_review_working_days, rules.public_holidays)


# --- checks -----------------------------------------------------------------------------


def check_candidate_age(name: str, born_on: dt.date, considered_on: dt.date, *,
                        over_limit_approved: bool = False,
                        rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    """Refuse a candidate under the minimum age (or past the maximum without consent)."""
    adult_on = add_years(born_on, rules.minimum_age)
    if considered_on < adult_on:
        raise ValidationError("admission.too_young", field="date_of_birth", name=name,
                              age=rules.minimum_age, day=format_vn(considered_on),
                              adult_on=format_vn(adult_on))
    if rules.maximum_age is None or over_limit_approved:
        return
    if considered_on > add_years(born_on, rules.maximum_age):
        raise ValidationError("admission.too_old", field="date_of_birth", name=name,
                              age=rules.maximum_age, day=format_vn(considered_on))


def check_certificate(name: str, issued_on: dt.date, considered_on: dt.date,
                      rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    """Refuse a training certificate issued later than, or expired by, the consideration."""
    if issued_on > considered_on:
        raise ValidationError("admission.certificate_future", name=name,
                              issued=format_vn(issued_on), day=format_vn(considered_on))
    if considered_on >= certificate_expires(issued_on, rules):
        raise ValidationError("admission.certificate_expired", name=name,
                              issued=format_vn(issued_on), day=format_vn(considered_on),
                              months=rules.certificate_valid_months)


def check_sponsor(sponsor: str, events: Iterable[MemberEvent], on: dt.date, *,
                  together_since: dt.date | None = None,
                  rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    """Refuse a sponsor who is not an official member on ``on``, has too little party age,
    or (when ``together_since`` is given) has not worked with the candidate long enough."""
    history = list(events)
    stage = state_on(history, on).stage
    if stage is Stage.PROBATIONARY:
        raise ValidationError("admission.sponsor_probationary", name=sponsor,
                              day=format_vn(on))
    if stage is not Stage.OFFICIAL:
        raise ValidationError("admission.sponsor_not_member", name=sponsor, day=format_vn(on))
    age = party_age(history, on)
    need = 12 * rules.sponsor_min_party_years
    if age is None or age.months < need:
        raise ValidationError("admission.sponsor_party_age", name=sponsor,
                              years=rules.sponsor_min_party_years, day=format_vn(on),
                              months=0 if age is None else age.months)
    if together_since is not None and (
            whole_months(together_since, on) < rules.sponsor_together_months):
        raise ValidationError("admission.sponsor_together", name=sponsor,
                              months=rules.sponsor_together_months,
                              since=format_vn(together_since))


def check_sponsor_count(name: str, sponsors: int,
                        rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    if sponsors < rules.sponsors_needed:
        raise ValidationError("admission.too_few_sponsors", name=name, count=sponsors,
                              needed=rules.sponsors_needed)


def votes_needed(official_members: int,
                 rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> int:
    """The fewest votes in favour that carry a resolution among ``official_members``."""
    share = official_members * rules.majority_numerator
    if rules.majority_strict:
        return share // rules.majority_denominator + 1
    return math.ceil(share / rules.majority_denominator) if share else 0


def check_resolution_votes(name: str, votes_for: int, official_members: int,
                           rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    """Refuse a branch resolution (admission or full membership) without the majority."""
    if official_members <= 0 or not 0 <= votes_for <= official_members:
        raise ValidationError("admission.bad_votes", name=name, votes=votes_for,
                              members=official_members)
    needed = votes_needed(official_members, rules)
    if votes_for < needed:
        raise ValidationError("admission.no_majority", name=name, votes=votes_for,
                              members=official_members, needed=needed,
                              share=f"{rules.majority_numerator}/{rules.majority_denominator}")


def check_ceremony(name: str, decided_on: dt.date, ceremony_on: dt.date,
                   rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    """Refuse a ceremony before the decision or after its deadline in working days."""
    if ceremony_on < decided_on:
        raise ValidationError("admission.ceremony_before_decision", name=name,
                              ceremony=format_vn(ceremony_on), decided=format_vn(decided_on))
    deadline = ceremony_deadline(decided_on, rules)
    if ceremony_on > deadline:
        raise ValidationError("admission.ceremony_late", name=name,
                              ceremony=format_vn(ceremony_on), deadline=format_vn(deadline),
                              days=rules.ceremony_working_days)


def check_official_resolution(name: str, ceremony_on: dt.date, resolved_on: dt.date,
                              rules: AdmissionRules = DEFAULT_ADMISSION_RULES) -> None:
    """Refuse a full-membership resolution before the probation has run its full term."""
    end = official_from(ceremony_on, rules)
    if resolved_on < end:
        raise ValidationError("admission.probation_not_over", name=name,
                              months=rules.probation_months, ceremony=format_vn(ceremony_on),
                              end=format_vn(end), day=format_vn(resolved_on))
