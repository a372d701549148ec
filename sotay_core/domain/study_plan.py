"""Who a study plan is for, who has studied it, the make-up list, the points a member earns
(điểm tích lũy), and the code printed on a member's study card (issue 21). Pure rules.

The member code is digits only: a USB scanner "types" it like a keyboard, and a Vietnamese
input method left on (Telex, VNI) changes letters and the digits after a vowel, never a run
of digits. It is 14 digits: 5 for the branch, 8 for the member (both from a hash of their
ids, so nothing is stored and a card stays valid), 1 check digit (Damm's algorithm) that
refuses every misread or mistyped single digit and every swap of two neighbouring digits
(Luhn's misses 09 <-> 90, which a person typing the code by hand can make).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study import Audience

BRANCH_DIGITS = 5
MEMBER_DIGITS = 8
CODE_LENGTH = BRANCH_DIGITS + MEMBER_DIGITS + 1


@dataclass(frozen=True, slots=True)
class Target:
    audience: Audience = Audience.ALL
    statuses: tuple[MemberStatus, ...] = ()   # when audience is STATUSES

    def includes(self, status: MemberStatus, *, is_secretary: bool = False) -> bool:
        """Is a member with this status (on the plan's day) one the plan is for? Members
        no longer on the roster (transferred out, deceased, removed) never are. A member
        studies where they attend (UNCONFIRMED, no rule found): one attending here for a
        while (temporary) is in "all"; one of ours attending another branch for a while
        (away) is not, and would otherwise sit on our make-up list for a plan they study
        there. A plan naming the "away" status by hand still reaches them."""
        if status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED,
                      MemberStatus.REMOVED, MemberStatus.NONE):
            return False
        if self.audience is Audience.SECRETARY:
            return is_secretary
        if self.audience is Audience.STATUSES:
            return status in self.statuses
        return status is not MemberStatus.AWAY


def target_from_fields(audience: str, statuses: str) -> Target:
    """The plan's ``audience`` and space-separated ``statuses`` fields."""
    try:
        kind = Audience(audience or "all")
        chosen = tuple(MemberStatus(s) for s in statuses.split())
    except ValueError:
        raise ValidationError("study.bad_target") from None
    if kind is Audience.STATUSES and not chosen:
        raise ValidationError("study.bad_target")
    return Target(kind, chosen)


def documents_from_field(text: str) -> tuple[str, ...]:
    """The plan's ``documents`` field: a JSON list of document ids ("" is none)."""
    if not text.strip():
        return ()
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError("study.bad_json", what="documents") from None
    if not isinstance(data, list) or not all(isinstance(d, str) and 0 < len(d) <= 36
                                             for d in data) or len(data) > 200:
        raise ValidationError("study.bad_json", what="documents")
    return tuple(dict.fromkeys(data))


def documents_to_field(ids: Iterable[str]) -> str:
    return json.dumps(list(dict.fromkeys(ids)))


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a plan stands at the branch."""

    targeted: tuple[str, ...]         # member ids, in the order given (roster order)
    studied: frozenset[str]
    makeup: tuple[str, ...]           # targeted, at no session: the make-up list

    @property
    def done(self) -> bool:
        return bool(self.targeted) and not self.makeup


def progress(targeted: Sequence[str], attended: Mapping[str, Iterable[str]]) -> Progress:
    """``attended``: session id -> member ids present. A member studied the plan when
    present at any of its sessions (a make-up or a home visit is a session too); the
    make-up list is who of the targeted was at none, in the targeted order. Members
    present but not targeted (a guest member) do not count towards the plan."""
    present = {m for members in attended.values() for m in members}
    wanted = set(targeted)
    studied = frozenset(present & wanted)
    return Progress(tuple(targeted), studied, tuple(m for m in targeted if m not in studied))


def overdue(due_on: dt.date | None, today: dt.date, progress_: Progress) -> bool:
    return due_on is not None and today > due_on and not progress_.done


# --- points (điểm tích lũy) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PointsRule:
    """Points a member earns from a plan. All UNCONFIRMED: no national scheme was found;
    provinces that keep points (Trà Vinh's app) do not publish theirs. A setting."""

    per_plan: int = 10          # studied the plan (present at a session); a plan may say
    per_session: int = 0        # each further session attended
    quiz_passed: int = 5        # the plan's quiz passed

    def to_json(self) -> str:
        return json.dumps({"per_plan": self.per_plan, "per_session": self.per_session,
                           "quiz_passed": self.quiz_passed})

    @classmethod
    def from_json(cls, text: str) -> PointsRule:
        try:
            data = json.loads(text) if text.strip() else {}
            values = {k: int(data.get(k, getattr(cls(), k)))
                      for k in ("per_plan", "per_session", "quiz_passed")}
        except (ValueError, TypeError, AttributeError):
            raise ValidationError("study.bad_json", what="points") from None
        if any(not 0 <= v <= 1000 for v in values.values()):
            raise ValidationError("study.points_range")
        return cls(**values)


def member_points(rule: PointsRule, *, sessions_attended: int, quiz_passed: bool,
                  plan_points: int | None = None) -> int:
    """A member's points from one plan: the plan's own figure (or the rule's) once studied,
    each further session, and the quiz passed."""
    if sessions_attended <= 0:
        return 0
    base = rule.per_plan if plan_points is None else plan_points
    return base + rule.per_session * (sessions_attended - 1) + (
        rule.quiz_passed if quiz_passed else 0)


# --- the member code on the study card ------------------------------------------------------


def _digits(text: str, n: int) -> str:
    value = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return str(value % 10**n).zfill(n)


# Damm's quasigroup of order 10 (weakly totally anti-symmetric): a code whose digits run
# through it to 0 is whole; one wrong digit or two neighbours swapped never do.
_DAMM = ("0317598642", "7092154863", "4206871359", "1750983426", "6123045978",
         "3674209581", "5869720134", "8945362017", "9438617205", "2581436790")


def check_digit(digits: str) -> str:
    """The digit that makes ``digits`` + it a whole code (Damm's algorithm)."""
    interim = 0
    for ch in digits:
        interim = int(_DAMM[interim][int(ch)])
    return str(interim)


def branch_part(unit_id: str) -> str:
    return _digits("unit:" + unit_id, BRANCH_DIGITS)


def member_code(unit_id: str, member_id: str) -> str:
    """The 14-digit code printed (and QR-coded) on a member's card and quiz sheet."""
    body = branch_part(unit_id) + _digits("member:" + member_id, MEMBER_DIGITS)
    return body + check_digit(body)


@dataclass(frozen=True, slots=True)
class Scan:
    branch: str
    member: str
    code: str


# The AIM symbology identifier a scanner may put before what it read ("]Q1" for a QR code).
_AIM = re.compile(r"^\][A-Za-z][0-9]")


def read_code(text: str) -> Scan:
    """A scanned or typed code, spaces and dashes allowed; what a scanner may frame it with
    (control characters such as STX/ETX or ESC, invisible marks, an AIM identifier "]Q1")
    dropped. Refused: not 14 digits, or a check digit that does not match (a misread)."""
    seen = _AIM.sub("", "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip())
    digits = "".join(ch for ch in seen if ch not in " -")
    if len(digits) != CODE_LENGTH or not digits.isascii() or not digits.isdigit():
        raise ValidationError("study.code_unreadable", value=seen[:30])
    if check_digit(digits[:-1]) != digits[-1]:
        raise ValidationError("study.code_misread", value=digits)
    return Scan(digits[:BRANCH_DIGITS], digits[BRANCH_DIGITS:-1], digits)


def find_member(text: str, unit_id: str, member_ids: Iterable[str]) -> str:
    """The member of this branch a scanned code names. Refused: unreadable, another
    branch's card, or a code of no member of this roster."""
    scan = read_code(text)
    if scan.branch != branch_part(unit_id):
        raise ValidationError("study.code_other_branch", value=scan.code)
    found = [m for m in member_ids if member_code(unit_id, m) == scan.code]
    if len(found) != 1:
        raise ValidationError("study.code_unknown", value=scan.code)
    return found[0]
