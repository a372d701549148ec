"""What a write touched, so every screen can decide whether to refresh (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    tables: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *tables: str) -> Changes:
        return cls(frozenset(tables))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tables | other.tables)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables.intersection(tables))

    def __bool__(self) -> bool:
        return bool(self.tables)
