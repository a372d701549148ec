"""The branch this data folder belongs to, and the units above it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import OrgLevel, OrgUnit
from sotay_core.domain.ids import new_id
from sotay_core.domain.rules import CommitteeTerm
from sotay_core.domain.text import clean_line
from sotay_desktop.db.mapping import unit_from_row
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import CommitteeTermRow, OrgUnitRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.read_models import BranchInfo
from sotay_desktop.services.recording import record_change

BRANCH_KEY = "branch_unit_id"


def branch_info(session: Session) -> BranchInfo | None:
    unit_id = get_meta(session, BRANCH_KEY)
    if unit_id is None:
        return None
    row = session.get(OrgUnitRow, unit_id)
    if row is None:
        return None
    parents: list[OrgUnit] = []
    parent_id = row.parent_id
    while parent_id is not None and len(parents) < 16:
        parent = session.get(OrgUnitRow, parent_id)
        if parent is None:
            break
        parents.append(unit_from_row(parent))
        parent_id = parent.parent_id
    return BranchInfo(unit_from_row(row), tuple(parents))


def create_branch(
    session: Session,
    *,
    branch_name: str,
    commune_name: str,
    province_name: str,
    symbol: str = "CB",
    unit_ids: tuple[str, str, str] | None = None,
    local_only: bool = False,
) -> tuple[str, Changes]:
    """Create province → commune → branch and make the branch this folder's own."""
    province_id, commune_id, branch_id = unit_ids or (new_id(), new_id(), new_id())
    units = [
        OrgUnitRow(id=province_id, level=OrgLevel.PROVINCE.value,
                   name=clean_line(province_name), symbol="T"),
        OrgUnitRow(id=commune_id, level=OrgLevel.COMMUNE.value, name=clean_line(commune_name),
                   parent_id=province_id, symbol="ĐU", is_grassroots=True, has_chi_uy=True),
        OrgUnitRow(id=branch_id, level=OrgLevel.BRANCH.value, name=clean_line(branch_name),
                   parent_id=commune_id, symbol=clean_line(symbol)),
    ]
    for unit in units:
        session.add(unit)
        session.flush()
    set_meta(session, BRANCH_KEY, branch_id)
    if not local_only:
        record_change(session, entity="org_units", row_id=branch_id, op="create", base_version=0,
                      fields={"name": units[2].name, "level": units[2].level,
                              "parent_id": commune_id, "symbol": units[2].symbol})
    return branch_id, Changes.of("org_units", "meta")


def committee_terms(session: Session, unit_id: str) -> list[CommitteeTerm]:
    rows = session.scalars(
        select(CommitteeTermRow).where(
            CommitteeTermRow.unit_id == unit_id, CommitteeTermRow.deleted.is_(False)
        )
    )
    return [CommitteeTerm(r.starts_on, r.ends_on) for r in rows]
