"""The commune's side of a branch's monthly report (issue 19): marking it received, and a
comment on it that goes down to the branch.

- The received mark is the province's own fact (``report_receipts``, with the report's
  version then): the branch's record is not touched, so marking it can never conflict with
  the secretary editing it. When the branch sends the report again after it was received,
  the page says so; marking it again takes the new version.
- A comment is an add-only ``comments`` record of the branch's scope (target_type
  "report"), written by the server like a comment on a draft resolution
  (``admin.add_comment``), so it reaches the branch's PCs at their next sync.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from sync_server import rollup
from sync_server.admin import (
    AdminError,
    clean_label,
    comment_down,
    log_action,
)
from sync_server.models import Record, ReportReceipt, StatReport, utcnow


def _report(session: Session, branch_id: str, report_id: str) -> Record:
    rec = session.get(Record, (branch_id, "monthly_reports", report_id))
    if rec is None or rec.deleted:
        raise AdminError("server_record_not_found", id=report_id)
    return rec


def mark_received(session: Session, *, branch_id: str, report_id: str, by: str,
                  actor: str) -> ReportReceipt:
    """Mark a sent report received (again, if the branch sent it anew since)."""
    rec = _report(session, branch_id, report_id)
    if json.loads(rec.data).get("status") != "sent":
        raise AdminError("server_report_not_sent")
    receipt = session.get(ReportReceipt, (branch_id, report_id))
    if receipt is None:
        receipt = ReportReceipt(scope_id=branch_id, report_id=report_id)
        session.add(receipt)
    receipt.received_at, receipt.received_by = utcnow(), clean_label(by)[:120]
    receipt.version = rec.version
    row = session.get(StatReport, (branch_id, report_id))
    if row is not None:
        rollup.before(session, {branch_id: {"monthly_reports"}})   # the month's roll-up
        row.received = 1
    log_action(session, actor, "report_received", branch=branch_id, report=report_id,
               version=rec.version)
    return receipt


def add_comment(session: Session, *, branch_id: str, report_id: str, body: str,
                author: str, actor: str) -> str:
    """A comment on the report, sent down to the branch. Returns the comment's id."""
    _report(session, branch_id, report_id)
    comment_id = comment_down(session, branch_id=branch_id, target_type="report",
                              target_id=report_id, body=body, author=author, actor=actor)
    log_action(session, actor, "report_comment", branch=branch_id, report=report_id,
               id=comment_id)
    return comment_id
