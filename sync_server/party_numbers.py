"""Who counts in a branch's party numbers (đảng số), one rule for the statistics kept per
branch (``facts``) and their per-commune roll-ups (``rollup``), and how they are counted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import MemberStatus
from sync_server.models import StatMember

# Members on the branch's books, including those exempted from meetings and those away for a
# while; not those attending here temporarily (counted at home).
IN_PARTY = frozenset({MemberStatus.PROBATIONARY.value, MemberStatus.OFFICIAL.value,
                      MemberStatus.EXEMPTED.value, MemberStatus.AWAY.value})


def counted(session: Session, *where: Any) -> dict[tuple[str, str], int]:
    """Party numbers of the ``stat_members`` rows ``where`` selects, counted along each of
    the four lines apart (``queries.party_numbers`` reads them so)."""
    out: dict[tuple[str, str], int] = {}
    m = StatMember
    for status, gender, year, ethnicity, n in session.execute(
            select(m.status, m.gender, m.birth_year, m.ethnicity, func.count())
            .where(m.deleted.is_(False), m.status.in_(IN_PARTY), *where)
            .group_by(m.status, m.gender, m.birth_year, m.ethnicity)):
        for key in (("status", status), ("gender", gender),
                    ("year", "" if year is None else str(year)), ("ethnicity", ethnicity)):
            out[key] = out.get(key, 0) + n
    return out


def party_of(session: Session, path: str, *where: Any) -> dict[tuple[str, str], int]:
    """``counted`` of the branches' rows below ``path`` that ``where`` selects."""
    return counted(session, StatMember.path.startswith(path, autoescape=True), *where)
