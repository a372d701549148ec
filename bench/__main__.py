"""Run every benchmark and rewrite docs/benchmarks.md with the machine and the date."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from bench import bundle, core, desktop, documents, machine

DOC = Path(__file__).parents[1] / "docs" / "benchmarks.md"
NOTES = [
    "- Start-up (issue 3): the window paints from a plain SQL read of the branch, roster and "
    "party numbers (services/first_paint.py, through the same connection factory as the "
    "engine); SQLAlchemy, the reminders and the other screens load after the paint. Before "
    "that change the path to the first paint held SQLAlchemy (0.2–0.4 s to import here) and "
    "measured 0.81–0.99 s; before moving the roster's filter and sort out of a "
    "QSortFilterProxyModel and deferring the reminders it was 3.8 s, with 38 ms per "
    "keystroke.",
    "- Old Windows PCs with hard disks start several times slower than this VM when cold "
    "(shared/reference/ecosystem.md); these are warm-cache figures.",
]


def main() -> int:
    sections = [("Foundation (issue 2)", core.run()), ("Desktop (issue 3)", desktop.run()),
                ("Documents (issue 4)", documents.run()), ("Bundle (issue 8)", bundle.run())]
    info = machine.describe()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand.",
        "",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM",
        f"- OS: {info['os']}; Python {info['python']}",
        "- Storage: the machine's disk through SQLite in WAL mode with synchronous=FULL.",
        "",
    ]
    failed = []
    for title, rows in sections:
        lines += [f"## {title}", "", "| What | Figure | Target | Met |", "|---|---|---|---|"]
        for row in rows:
            met = {"True": "yes", "False": "**no**", "": ""}[row["ok"]]
            if row["ok"] == "False":
                failed.append(row["what"])
            lines.append(f"| {row['what']} | {row['figure']} | {row['target']} | {met} |")
        lines.append("")
    lines += ["## Notes", "", *NOTES, ""]
    DOC.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines) + "\n")
    if failed:
        sys.stderr.write("Targets missed:\n" + "\n".join(failed) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
