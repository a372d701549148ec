"""The annual review (issue 20) as a branch PC pushes it: a campaign of 2025 and its entries
(one per member, and the branch's own with no member), with proposed grades and votes."""

from __future__ import annotations

from typing import Any

from sotay_core.domain.ids import new_id
from tests.province.support import Branch

YEAR = 2025


def campaign(branch: Branch, status: str = "sent", *, year: int = YEAR,
             period: str = "year") -> str:
    cid = new_id()
    result = branch.push(("review_campaigns", cid, {
        "unit_id": branch.unit_id, "year": year, "period": period, "scheme": "",
        "status": status, "meeting_id": None, "held_on": f"{year}-12-20",
        "note": "Kiểm điểm cuối năm"}))
    assert result[0]["status"] == "applied", result
    return cid


def entry(branch: Branch, campaign_id: str, member_id: str | None, grade: str,
          points: str = "") -> str:
    eid = new_id()
    fields: dict[str, Any] = {
        "campaign_id": campaign_id, "member_id": member_id, "facts": "{}",
        "self_points": points, "self_grade": grade, "self_text": "", "scores": "{}",
        "points": points, "grade": grade, "disciplined": False, "tasks_on_time": True,
        "comments": "", "votes_yes": 3, "votes_no": 0, "votes_abstain": 0,
        "votes_invalid": 0, "voting_base": 3, "secret": False}
    result = branch.push(("review_entries", eid, fields))
    assert result[0]["status"] == "applied", result
    return eid


def review_data(env: dict[str, Any], members: dict[str, str]) -> dict[str, str]:
    """b1 (commune c1) sent 2025: An good (85), Bình excellent (95), Cường fulfilled (60),
    the branch itself good; b2 (c1) met but has not sent (one entry, good); b3 (c2) nothing.
    ``members``: b1's member ids by full name."""
    ids, branches = env["ids"], env["branches"]
    b1, b2 = branches[ids["b1"]], branches[ids["b2"]]
    c1 = campaign(b1)
    out = {"c1": c1,
           "an": entry(b1, c1, members["Nguyễn Văn An"], "good", "85"),
           "binh": entry(b1, c1, members["Trần Thị Bình"], "excellent", "95"),
           "cuong": entry(b1, c1, members["Hoàng Văn Cường"], "fulfilled", "60"),
           "own": entry(b1, c1, None, "good", "80")}
    tu = b2.member("Lê Văn Tư")
    c2 = campaign(b2, "held")
    out |= {"c2": c2, "tu": entry(b2, c2, tu, "good", "75"), "tu_member": tu}
    return out
