"""A deterministic, realistic demo branch: the app's first run, the tests and the benchmarks.

The same (seed, as_of, sizes) give the same rows, ids included. Dates are
consistent with the Party rules (checked by ``check_history`` for every
member); the mix includes probationary, exempted, temporarily away,
transferred in and out, and deceased members. Demo rows are local only:
they are written without outbox entries, since a demo branch never syncs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sotay_core.domain.dates import add_months, add_years
from sotay_core.domain.entities import Attendance, EventKind, MemberEvent, MemberStatus
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.rules import DocumentNumber, Voter, majority_needed, voting_base
from sotay_core.domain.text import name_sort_key
from sotay_desktop.db.tables import (
    AttendanceRow,
    CommitteeTermRow,
    DocumentRow,
    MeetingRow,
    MemberEventRow,
    MemberRow,
    MinutesRow,
    ResolutionRow,
)
from sotay_desktop.services import demo_data as W
from sotay_desktop.services.branch import create_branch
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.demo_candidates import make_candidates
from sotay_desktop.services.demo_dues import make_dues
from sotay_desktop.services.demo_month import make_month_records
from sotay_desktop.services.demo_review import make_reviews
from sotay_desktop.services.demo_study import make_study
from sotay_desktop.services.demo_transfers import make_transfers
from sotay_desktop.services.documents import index_rows
from sotay_desktop.services.members import search_key_for


@dataclass(frozen=True, slots=True)
class DemoSummary:
    branch_id: str
    branch_name: str
    members: int
    events: int
    documents: int
    meetings: int


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    names = [name for name, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(names, weights=weights)[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _member_life(
    rng: random.Random, ids: _Ids, member_id: str, dob: dt.date, as_of: dt.date, village: str
) -> list[MemberEvent]:
    """A plausible history ending on or before ``as_of``."""
    youngest = add_years(dob, 18)
    oldest = min(add_years(dob, 55), as_of - dt.timedelta(days=20))
    start = max(youngest, dt.date(1960, 1, 1))
    if start > oldest:
        return []
    recent = as_of - dt.timedelta(days=330)
    if rng.random() < 0.06 and max(start, recent) <= oldest:  # admitted within the last year
        admitted = _date_between(rng, max(start, recent), oldest)
    else:
        admitted = _date_between(rng, start, oldest)
    events = [MemberEvent(ids(), member_id, EventKind.ADMITTED, admitted,
                          decision=f"Số {rng.randint(10, 480)}-QĐ/ĐU")]
    official = add_months(admitted, 12) + dt.timedelta(days=rng.choice((0, 0, 0, 7, 21, 40)))
    if official > as_of:
        return events
    events.append(MemberEvent(ids(), member_id, EventKind.MADE_OFFICIAL, official,
                              decision=f"Số {rng.randint(10, 480)}-QĐ/ĐU"))
    cursor = official + dt.timedelta(days=30)
    age = (as_of - dob).days // 365
    if rng.random() < 0.08 and cursor < as_of:
        moved = _date_between(rng, cursor, as_of - dt.timedelta(days=10))
        events.append(MemberEvent(ids(), member_id, EventKind.TRANSFERRED_IN, moved,
                                  place=f"Chi bộ thôn {rng.choice(W.VILLAGES)}, "
                                        f"xã {rng.choice(W.COMMUNES)}",
                                  decision=f"Số {rng.randint(10, 99)}-GGT/ĐU"))
        cursor = moved + dt.timedelta(days=30)
    if cursor >= as_of:
        return events
    fate = rng.random()
    if age >= 78 and fate < 0.2:
        died = _date_between(rng, max(cursor, as_of - dt.timedelta(days=3650)), as_of)
        events.append(MemberEvent(ids(), member_id, EventKind.DECEASED, died))
    elif age >= 70 and fate < 0.55:
        exempt = _date_between(rng, max(cursor, add_years(dob, 70)), as_of)
        events.append(MemberEvent(ids(), member_id, EventKind.EXEMPTED, exempt,
                                  decision="Nghị quyết chi bộ", detail="Tuổi cao, sức khoẻ yếu"))
    elif age < 50 and fate < 0.05:
        away = _date_between(rng, max(cursor, as_of - dt.timedelta(days=300)), as_of)
        events.append(MemberEvent(ids(), member_id, EventKind.TEMP_OUT, away,
                                  place="Chi bộ công ty TNHH May Phố Nối",
                                  detail="Đi làm việc xa 6 tháng"))
    elif fate < 0.07:
        out = _date_between(rng, cursor, as_of)
        events.append(MemberEvent(ids(), member_id, EventKind.TRANSFERRED_OUT, out,
                                  place=f"Đảng bộ phường {rng.choice(W.COMMUNES)}",
                                  decision=f"Số {rng.randint(10, 99)}-GGT/ĐU"))
    elif age < 60 and fate < 0.12:
        events.append(MemberEvent(ids(), member_id, EventKind.RESIDENCE_CONTACT,
                                  _date_between(rng, cursor, as_of),
                                  place="Chi bộ trường THCS xã", detail="Nhận xét hằng năm"))
    return events


def create_demo(
    session: Session,
    *,
    members: int = 60,
    documents: int = 20,
    meetings: int = 12,
    as_of: dt.date,
    seed: int = 2026,
) -> tuple[DemoSummary, Changes]:
    rng = random.Random(seed)
    ids = _Ids(rng)
    stamp = dt.datetime.combine(as_of, dt.time(8, 0))
    common = {"version": 0, "deleted": False, "created_at": stamp, "updated_at": stamp}
    village, commune = "Đông Hòa", "Tân Lập"
    branch_name = f"Chi bộ thôn {village}"
    branch_id, changes = create_branch(
        session, branch_name=branch_name, commune_name=f"Đảng bộ xã {commune}",
        province_name="Đảng bộ tỉnh Hưng Yên", unit_ids=(ids(), ids(), ids()), local_only=True,
    )
    member_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    statuses: dict[str, MemberStatus] = {}
    cards = rng.sample(range(10_000_000, 99_999_999), members)
    for index in range(members):
        member_id = ids()
        female = rng.random() < 0.45
        family = _weighted(rng, W.FAMILY_NAMES)
        middle = rng.choice(W.MIDDLE_FEMALE if female else W.MIDDLE_MALE)
        given = rng.choice(W.GIVEN_FEMALE if female else W.GIVEN_MALE)
        full_name = f"{family} {middle} {given}"
        dob = _date_between(rng, dt.date(1935, 1, 1), dt.date(2003, 12, 31))
        events = _member_life(rng, ids, member_id, dob, as_of, village)
        if not events:  # too young to have joined: a young member admitted recently instead
            dob = _date_between(rng, dt.date(1985, 1, 1), dt.date(2000, 12, 31))
            events = _member_life(rng, ids, member_id, dob, as_of, village)
        state = check_history(events, date_of_birth=dob)
        statuses[member_id] = state.status
        age_years = (as_of - dob).days // 365
        member_rows.append({
            **common,
            "id": member_id,
            "unit_id": branch_id,
            "full_name": full_name,
            "birth_name": full_name if rng.random() < 0.97 else f"{family} {middle} Tý",
            "alias": "",
            "gender": "female" if female else "male",
            "date_of_birth": dob,
            "place_of_birth": f"xã {rng.choice(W.COMMUNES)}, tỉnh Hưng Yên",
            "hometown": f"thôn {rng.choice(W.VILLAGES)}, xã {commune}, tỉnh Hưng Yên",
            "residence": f"Xóm {rng.randint(1, 9)}, thôn {village}, xã {commune}",
            "ethnicity": _weighted(rng, W.ETHNICITIES),
            "religion": _weighted(rng, W.RELIGIONS),
            "education_general": rng.choice(W.EDUCATION),
            "education_professional": rng.choice(W.PROFESSIONAL),
            "political_theory": rng.choice(W.THEORY),
            "languages": rng.choice(("", "", "Tiếng Anh A2")),
            "occupation_before": rng.choice(W.OCCUPATIONS_BEFORE),
            "occupation_now": "Nghỉ hưu" if age_years >= 62 else rng.choice(W.OCCUPATIONS_NOW),
            "card_number": f"{cards[index]:08d}",
            "record_number": f"{rng.randint(1, 999_999):06d}HY",
            "badge_numbers": (f"HY{rng.randint(0, 999_999):06d}"
                              if state.official_on and state.official_on.year < as_of.year - 30
                              else ""),
            "service_background": rng.choice(("", "", "", "Cựu chiến binh", "Nghỉ hưu")),
            "phone": f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else "",
            "notes": "",
            "search_key": search_key_for(full_name),
            "sort_key": name_sort_key(full_name),
            "status": state.status.value,
            "admitted_on": state.first_admitted_on,
            "official_on": state.official_on,
        })
        for seq, event in enumerate(events):
            event_rows.append({
                **common, "id": event.id, "member_id": member_id, "kind": event.kind.value,
                "date": event.date, "decision": event.decision, "place": event.place,
                "detail": event.detail, "seq": seq if event.seq == 0 else event.seq,
            })
    if member_rows:
        session.execute(insert(MemberRow), member_rows)
    if event_rows:
        session.execute(insert(MemberEventRow), event_rows)

    term_start = dt.date(2025, 7, 15) if as_of >= dt.date(2025, 7, 15) else add_years(as_of, -2)
    # the bí thư in office signs the branch's papers; the demo's meetings are chaired by them
    secretary = next((row["id"] for row in member_rows
                      if statuses[row["id"]] is MemberStatus.OFFICIAL), None)
    session.execute(insert(CommitteeTermRow), [{**common, "id": ids(), "unit_id": branch_id,
                                                "starts_on": term_start, "ends_on": None,
                                                "secretary_id": secretary}])
    _make_documents(session, rng, ids, common, branch_id, documents, as_of, commune)
    _make_meetings(session, rng, ids, common, branch_id, meetings, as_of, term_start,
                   statuses, [row["id"] for row in member_rows], branch_name,
                   {row["id"]: row["full_name"] for row in member_rows})
    changes |= make_month_records(session, unit_id=branch_id, as_of=as_of, seed=seed,
                                  common=common)   # tasks and scores (issue 19)
    # The letters first: a member attending here temporarily pays dues and is reviewed at
    # home, so the dues book and the review must see the histories as the letters leave them.
    changes |= make_transfers(session, unit_id=branch_id, as_of=as_of, common=common,
                              branch_name=branch_name, ids=ids)   # letters (issue 20)
    changes |= make_dues(session, unit_id=branch_id, as_of=as_of, seed=seed, common=common,
                         ids=ids)   # a year of dues (issue 19)
    changes |= make_reviews(session, unit_id=branch_id, as_of=as_of, seed=seed,
                            common=common)   # last year's review, this year's (issue 20)
    changes |= make_candidates(session, unit_id=branch_id, as_of=as_of, seed=seed,
                               common=common)   # two candidates for admission (issue 20)
    # Last: it reads the lives, documents and committee as all the above left them.
    changes |= make_study(session, unit_id=branch_id, as_of=as_of, seed=seed,
                          common=common)   # a finished study plan, one in progress (issue 21)
    session.flush()
    summary = DemoSummary(branch_id, branch_name, len(member_rows), len(event_rows),
                          documents, meetings)
    return summary, changes | Changes.of(
        "members", "member_events", "documents", "meetings", "attendance", "minutes",
        "resolutions", "committee_terms")


def _make_documents(
    session: Session, rng: random.Random, ids: _Ids, common: dict[str, Any], branch_id: str,
    count: int, as_of: dt.date, commune: str,
) -> None:
    rows = []
    numbers: dict[tuple[str, str], int] = {}
    for index in range(count):
        own = index % 5 == 4
        code, kind, about = rng.choice(W.OWN_DOCUMENTS if own else W.DOCUMENTS_FROM_ABOVE)
        issuer, symbol = (("Chi bộ thôn Đông Hòa", "CB") if own else
                          rng.choice(((f"Đảng ủy xã {commune}", "ĐU"),
                                      ("Tỉnh ủy Hưng Yên", "TU"),
                                      ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDVTU"))))
        numbers[(code, symbol)] = numbers.get((code, symbol), rng.randint(0, 40)) + 1
        number = str(DocumentNumber(numbers[(code, symbol)], code, symbol))
        issued = as_of - dt.timedelta(days=(count - index) * 9 + rng.randint(0, 6))
        body = "\n\n".join(rng.sample(W.PARAGRAPHS, k=4))
        title = f"{kind} {about}"
        rows.append({
            **common, "id": ids(), "unit_id": branch_id, "origin": "own" if own else "from_above",
            "doc_type": code, "number": number, "issued_on": issued, "issuer": issuer,
            "title": title, "summary": about[0].upper() + about[1:], "tags": kind.lower(),
            "file_sha256": None, "file_name": "", "body_text": body,
            "search_key": "",   # unused since the FTS5 index (migration 0002)
        })
    if rows:
        session.execute(insert(DocumentRow), rows)
        index_rows(session, rows)


def _make_meetings(
    session: Session, rng: random.Random, ids: _Ids, common: dict[str, Any], branch_id: str,
    count: int, as_of: dt.date, term_start: dt.date, statuses: dict[str, MemberStatus],
    member_ids: list[str], branch_name: str, names: dict[str, str],
) -> None:
    meetings, attendance, minutes, resolutions = [], [], [], []
    on_roster = [m for m in member_ids if statuses[m].on_roster]
    active = [m for m in on_roster if statuses[m] in (MemberStatus.OFFICIAL,)]
    number = 0
    for back in range(count, 0, -1):
        first = add_months(dt.date(as_of.year, as_of.month, 1), -back + 1)
        day = first.replace(day=5)
        if day > as_of:
            continue
        meeting_id = ids()
        chair = active[0] if active else None
        recorder = active[1] if len(active) > 1 else None
        agenda = ["Thông tin thời sự, chính sách mới",
                  "Phổ biến văn bản của cấp trên",
                  f"Đánh giá kết quả tháng {first.month}",
                  f"Phương hướng nhiệm vụ tháng {add_months(first, 1).month}",
                  "Thu đảng phí"]
        meetings.append({**common, "id": meeting_id, "unit_id": branch_id, "kind": "monthly",
                         "title": f"Sinh hoạt chi bộ tháng {first.month} năm {first.year}",
                         "date": day, "starts_at": "19:30", "ends_at": "21:15",
                         "place": "Nhà văn hoá thôn Đông Hòa", "chair_id": chair,
                         "recorder_id": recorder, "guests": "Đồng chí đảng ủy viên phụ trách",
                         "agenda": json.dumps(agenda, ensure_ascii=False)})
        voters = []
        for member_id in on_roster:
            status = statuses[member_id]
            if status is MemberStatus.EXEMPTED:
                mark, reason = Attendance.EXEMPTED, ""
            elif status is MemberStatus.AWAY:
                mark, reason = Attendance.AWAY, ""
            elif member_id in (chair, recorder):
                mark, reason = Attendance.PRESENT, ""
            else:
                roll = rng.random()
                if roll < 0.85:
                    mark, reason = Attendance.PRESENT, ""
                elif roll < 0.95:
                    mark, reason = Attendance.ABSENT_EXCUSED, rng.choice(W.ABSENCE_REASONS)
                else:
                    mark, reason = Attendance.ABSENT_UNEXCUSED, ""
            attendance.append({**common, "id": ids(), "meeting_id": meeting_id,
                               "member_id": member_id, "status": mark.value, "reason": reason})
            voters.append(Voter(member_id, status is not MemberStatus.PROBATIONARY, mark))
        base = voting_base(voters)
        present = sum(1 for v in voters if v.attendance is Attendance.PRESENT and v.official)
        votes_for = max(min(present, base), majority_needed(base) if base else 0)
        latest = back == 1
        present_ids = [v.member_id for v in voters
                       if v.attendance is Attendance.PRESENT and v.official]
        speakers = [{"name": names[m], "gist": rng.choice(W.SPEECHES)}
                    for m in rng.sample(present_ids, k=min(3, len(present_ids)))]
        minutes.append({**common, "id": ids(), "meeting_id": meeting_id,
                        "body": json.dumps({"items": agenda, "speakers": speakers},
                                           ensure_ascii=False),
                        "conclusion": "Chủ trì kết luận, chi bộ thống nhất nội dung nghị quyết.",
                        "votes_for": None if latest else votes_for,
                        "votes_against": None if latest else 0, "adopted": not latest})
        if day >= term_start:
            number += 1
        resolutions.append({
            **common, "id": ids(), "unit_id": branch_id, "meeting_id": meeting_id,
            "number": str(DocumentNumber(max(number, 1), "NQ", "CB")),
            "title": f"về lãnh đạo thực hiện nhiệm vụ tháng {add_months(first, 1).month} "
                     f"năm {add_months(first, 1).year}",
            "body": json.dumps({"results": rng.choice(W.PARAGRAPHS),
                                "tasks": [{"text": text, "responsible": names[who]}
                                          for text, who in zip(
                                              rng.sample(W.TASKS, k=3),
                                              rng.sample(present_ids, k=min(3, len(present_ids))),
                                              strict=False)],
                                "implementation": f"{branch_name} tổ chức thực hiện."},
                               ensure_ascii=False),
            "status": "draft" if latest else "adopted", "issued_on": day,
            "votes_for": None if latest else votes_for, "votes_against": None if latest else 0,
            "voting_base": base,
        })
    for table, rows in ((MeetingRow, meetings), (AttendanceRow, attendance),
                        (MinutesRow, minutes), (ResolutionRow, resolutions)):
        if rows:
            session.execute(insert(table), rows)
