"""The R13 fuzzing's one result row: written after all its tests, with the inputs each
target took (tests/reliability/fuzzing/strategies.py counts them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.fuzzing.strategies import COUNTS, EXAMPLES
from tests.reliability.report import record


@pytest.fixture(scope="package", autouse=True)
def _report_inputs() -> Iterator[None]:
    """After the package's tests: how many inputs each target took, into the report."""
    yield
    if COUNTS:
        record("R13", "Fuzzing of everything that parses outside input",
               injected="random bytes; valid inputs with bytes flipped, cut, zeroed or "
                        "inserted; structured inputs with random values in every field; a "
                        "gzip bomb",
               trials=f"{sum(COUNTS.values()):,} inputs over {len(COUNTS)} targets "
                      f"(Hypothesis, derandomized, {EXAMPLES} examples per test, 2 s "
                      "deadline per input)",
               held="no uncaught exception, no 5xx, only typed errors with a message; pulled "
                    "pages that fail leave local data unchanged",
               figures=sorted((k, f"{v:,} inputs") for k, v in COUNTS.items()))
