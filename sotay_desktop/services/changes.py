"""What a write touched, so every screen can decide whether to refresh (Anki's OpChanges).

Every write of the application layer returns one; the window's single writer rebroadcasts
it (``ui/tasks.py``, ``operation_did_execute``) and each screen looks at the areas it
shows (``members``, ``meetings``, ``documents`` …) to decide whether to read again.
"""

from __future__ import annotations

from dataclasses import dataclass

MEMBER_TABLES = ("members", "member_events")
MEETING_TABLES = ("meetings", "attendance", "minutes", "resolutions", "comments",
                  "committee_terms")
DOCUMENT_TABLES = ("documents", "files", "bookmarks")
SYNC_TABLES = ("sync_conflicts", "sync_notices")
DUES_TABLES = ("dues_bases", "dues_exemptions", "dues_payments", "dues_rates")


@dataclass(frozen=True, slots=True)
class Changes:
    tables: frozenset[str] = frozenset()
    everything: bool = False   # a sync or a resolved conflict: any table may have changed

    @classmethod
    def of(cls, *tables: str) -> Changes:
        return cls(frozenset(tables))

    @classmethod
    def all(cls) -> Changes:
        return cls(everything=True)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tables | other.tables, self.everything or other.everything)

    def touches(self, *tables: str) -> bool:
        return self.everything or bool(self.tables.intersection(tables))

    def __bool__(self) -> bool:
        return self.everything or bool(self.tables)

    @property
    def members(self) -> bool:
        """The roster, a member's record, the counts and reminders, what can be undone."""
        return self.touches(*MEMBER_TABLES)

    @property
    def meetings(self) -> bool:
        return self.touches(*MEETING_TABLES)

    @property
    def documents(self) -> bool:
        return self.touches(*DOCUMENT_TABLES)

    @property
    def branch(self) -> bool:
        """The branch and the units above it (names shown in the title and on Home)."""
        return self.touches("org_units")

    @property
    def dues(self) -> bool:
        """The dues book: bases, exemptions, payments and the dated rates."""
        return self.touches(*DUES_TABLES)

    @property
    def sync(self) -> bool:
        """Conflicts and notices of the Sync screen."""
        return self.touches(*SYNC_TABLES)
