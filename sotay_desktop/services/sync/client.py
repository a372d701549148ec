"""The sync cycle: enrolment, then records (push and pull, page by page), the end-of-sync
comparison with the server (``convergence``), then files (``files``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from sotay_core.protocol import DEFAULT_PAGE_BYTES, MAX_MUTATIONS, SyncRequest, SyncResponse
from sotay_desktop.db.engine import Database
from sotay_desktop.security import credentials
from sotay_desktop.services import audit
from sotay_desktop.services.sync import account, convergence, pull, push
from sotay_desktop.services.sync.files import FILE_BUDGET, begin_downloads, sync_files
from sotay_desktop.services.sync.report import Cancelled, Progress, SyncReport
from sotay_desktop.services.sync.transport import SyncCancelled, SyncFailure, Transport

CLOCK_WARN = dt.timedelta(minutes=5)


def pc_clock() -> dt.datetime:
    """This PC's clock: only compared with the server's, to warn; never used to order edits."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    unit_name: str
    queued: int
    token_store: str


def device_label() -> str:
    return f"{platform.node() or 'PC'}"[:120]


def enroll(db: Database, server_url: str, code: str, *, transport: Transport | None = None,
           label: str | None = None) -> Enrolled:
    if not server_url.startswith(("http://", "https://")):
        raise SyncFailure("sync_bad_url", url=server_url)
    transport = transport or Transport(server_url)
    with db.reads() as session:
        floor = account.mutation_floor(session)
    answer = transport.enroll(code, label or device_label(), floor)
    with db.sessions.begin() as session:
        queued = account.bind_to_server(session, server_url=server_url,
                                           device_id=answer.device_id, unit_id=answer.unit_id,
                                           unit_name=answer.unit_name)
        store = credentials.save_token(session, answer.device_id, answer.token)
    return Enrolled(answer.device_id, answer.unit_name, queued, store)


def transport_for(db: Database) -> Transport:
    with db.reads() as session:
        acct = account.account(session)
        if acct is None:
            raise SyncFailure("sync_not_enrolled")
        token = credentials.load_token(session, acct.device_id)
    if not token:
        raise SyncFailure("sync_no_credential")
    return Transport(acct.server_url, token)


def sync_records(db: Database, transport: Transport, report: SyncReport,
                 progress: Progress | None = None, cancel: Cancelled | None = None,
                 page: int = DEFAULT_PAGE_BYTES) -> None:
    with ThreadPoolExecutor(1, thread_name_prefix="sotay-page") as ahead:
        _sync_pages(db, transport, report, progress, cancel, page, ahead)


def _sync_pages(db: Database, transport: Transport, report: SyncReport,
                progress: Progress | None, cancel: Cancelled | None, page: int,
                ahead: ThreadPoolExecutor) -> None:
    """Push and pull page by page. While a pulled page is applied, the next one is already
    asked for (issue 22: on a 300 ms link the link idled while the PC wrote), with the
    cursors the answer gave; it is used only if it is the very request the PC would make
    after the apply (nothing to send, the same cursors), else dropped and asked again. A
    pull-only request changes nothing on the server; the transport is used by one thread
    at a time."""
    stalled = 0
    guess: tuple[SyncRequest, Future[SyncResponse]] | None = None
    while True:
        with db.reads() as session:
            request = push.build_request(session)
        request = request.model_copy(update={"page_bytes": page})
        response: SyncResponse | None = None
        if guess is not None:
            asked, answer = guess
            if asked == request:
                response = answer.result()   # its failure is this page's failure
            else:
                with contextlib.suppress(SyncFailure):
                    answer.result()   # dropped, once the transport is free again
            guess = None
        if response is None:
            response = transport.sync(request, progress)
        report.requests += 1
        if response.has_more and not request.mutations:
            following = request.model_copy(update={"cursors": response.cursors})
            guess = (following, ahead.submit(transport.sync, following, progress))
        try:
            with db.sessions.begin() as session:
                done = pull.apply_response(session, request, response)
        except IntegrityError:
            raise SyncFailure("sync_apply_failed") from None
        report.pushed += done.acked
        report.rejected += done.rejected
        report.pulled += done.changes
        report.conflicts += done.conflicts
        skew = (dt.datetime.fromisoformat(response.server_time) - pc_clock()).total_seconds()
        report.clock_skew_s = skew
        if progress:
            progress("records", report.pushed + report.pulled, 0)
        more_out = (len(request.mutations) == MAX_MUTATIONS and done.acked > 0) or bool(
            done.renumbered)   # past a gap: send the renumbered ones now
        stalled = stalled + 1 if request.mutations and done.acked == 0 else 0
        if not response.has_more and not more_out:
            break
        if stalled > 2:
            break
        if cancel and cancel():
            raise SyncCancelled()
    if guess is not None:   # not asked for after all (the apply left something to send)
        with contextlib.suppress(SyncFailure):
            guess[1].result()
    with db.sessions.begin() as session:
        audit.set_anchor(session)   # the server holds these rows now: a cut-short chain shows


def keep_reports_in_step(db: Database) -> None:
    """The study reports (counts only) brought in line with the roster before a push."""
    import datetime as dt

    from sotay_desktop.services import study_report

    with db.sessions.begin() as session:
        study_report.refresh_all(session, dt.date.today())


def run_sync(db: Database, transport: Transport | None = None, *,
             progress: Progress | None = None, cancel: Cancelled | None = None,
             files: bool = True, budget: int = FILE_BUDGET,
             page_bytes: int = DEFAULT_PAGE_BYTES) -> SyncReport:
    transport = transport or transport_for(db)
    report = SyncReport()
    keep_reports_in_step(db)
    sync_records(db, transport, report, progress, cancel, page_bytes)
    # The files start coming while the check runs (issue 22: the link stays busy).
    started = begin_downloads(db, transport, progress, cancel, budget) if files else None
    try:
        report.check = convergence.run_check(db, transport, lambda: sync_records(
            db, transport, report, progress, cancel, page_bytes))
    except BaseException:
        if started is not None:
            started.abandon()
        raise
    if files:
        sync_files(db, transport, report, progress, cancel, budget, started)
    return report


def backoff_delay(attempt: int, *, base: float = 15.0, cap: float = 900.0,
                  rand: Callable[[], float] | None = None) -> float:
    """Seconds before retry ``attempt`` (1, 2, …): exponential with full jitter."""
    import random

    r = (rand or random.random)()
    return float(max(1.0, min(cap, base * 2 ** (attempt - 1)) * r))
