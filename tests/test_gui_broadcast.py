"""Screens refresh from the Changes the writer broadcasts, not from calls between screens.

Writes here are made the way a dialog or another screen makes them (through the runner's
single writer), never through MainWindow's own methods: what follows on Home, the roster,
the meetings and the documents comes only from ``operation_did_execute(changes)``.
"""

from __future__ import annotations

import pytest

from sotay_core.domain.entities import MemberStatus
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.member.dialog import MemberDialog
from sotay_desktop.usecases import audit_log, documents, meetings, members
from tests.conftest import TODAY

pytestmark = pytest.mark.gui


def _on_roster(window) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for m in members.roster(window.workspace) if m.status.on_roster)


def test_a_member_added_in_the_dialog_reaches_home_and_the_roster(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    counts_before = window.home.counts.text()
    total_before = window.roster.model.total
    on_roster = _on_roster(window)
    assert str(on_roster) in counts_before
    broadcast: list[Changes] = []
    window.runner.operation_did_execute.connect(broadcast.append)

    dialog = MemberDialog(window.workspace, window.runner, None, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.editors["full_name"].setText("Đinh Thị Hường")
    dialog.editors["date_of_birth"].setText("02/09/1975")
    dialog.editors["admitted_on"].setText("19/05/2000")
    dialog.editors["official_on"].setText("19/05/2001")
    dialog.save()
    assert dialog.saved_id

    assert broadcast and broadcast[0].members           # one signal, carrying the Changes
    assert window.roster.model.total == total_before + 1
    assert window.roster.model.row_of(dialog.saved_id) >= 0
    assert str(on_roster + 1) in window.home.counts.text()
    assert window.home.counts.text() != counts_before


def test_a_removal_elsewhere_updates_the_roster_and_homes_undo_bar(window) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.usecases import undo

    member = members.roster(window.workspace)[3]
    assert not window.home.undo_bar.isVisibleTo(window.home)
    window.runner.op(lambda: undo.remove_member(window.workspace, member.id))
    assert window.roster.model.row_of(member.id) < 0
    assert window.home.undo_bar.isVisibleTo(window.home)
    assert member.full_name in window.home.undo_label.text()


def test_a_meeting_written_elsewhere_shows_in_the_meetings_screen(window) -> None:  # type: ignore[no-untyped-def]
    screen = window.meetings
    before = screen.model.rowCount()
    store = window.workspace
    window.runner.op(lambda: meetings.create_meeting(store, day="2026-12-05",
                                                     title="Sinh hoạt chuyên đề thử"))
    assert screen.model.rowCount() == before + 1
    assert any(m.title == "Sinh hoạt chuyên đề thử" for m in screen.model.rows)


def test_a_write_reaches_only_the_screens_it_touches(window) -> None:  # type: ignore[no-untyped-def]
    library = window.documents
    roster_loads: list[object] = []
    window.roster.rows_loaded.connect(roster_loads.append)
    searches: list[int] = []
    library.results_shown.connect(searches.append)
    hit = documents.search_documents(window.workspace)[0]
    store = window.workspace
    window.runner.op(lambda: documents.set_bookmark(store, hit.id, not hit.bookmarked))
    assert searches                 # the library searched again (its bookmark changed) …
    assert roster_loads == []       # … the roster did not read again
    label = library.later_button.text()
    assert label                    # the selected document's button follows the new state


def test_a_refused_write_broadcasts_nothing_and_leaves_nothing(window) -> None:  # type: ignore[no-untyped-def]
    store = window.workspace
    trail = audit_log.audit_entries(store, limit=20)
    total = window.roster.model.total
    broadcast: list[Changes] = []
    errors: list[Exception] = []
    window.runner.operation_did_execute.connect(broadcast.append)
    window.runner.op(lambda: members.add_member(store, {"full_name": "Lê Văn Tám",
                                                        "date_of_birth": "31/02/1970"}),
                     None, errors.append)
    assert errors and broadcast == []
    assert audit_log.audit_entries(store, limit=20) == trail
    assert window.roster.model.total == len(members.roster(store)) == total


def test_home_counts_follow_a_status_change_recorded_elsewhere(window) -> None:  # type: ignore[no-untyped-def]
    from sotay_core.domain.entities import EventKind

    store = window.workspace
    official = next(m for m in members.roster(store) if m.status is MemberStatus.OFFICIAL)
    before = window.home.counts.text()
    errors: list[Exception] = []
    window.runner.op(lambda: members.record_event(store, official.id, EventKind.EXEMPTED,
                                                  "01/11/2026", decision="12-QĐ/ĐU"),
                     None, errors.append)
    assert errors == []
    assert window.home.counts.text() != before
    assert window.roster.model.total == len(members.roster(store))
