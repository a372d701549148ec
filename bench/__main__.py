"""Run every benchmark and rewrite docs/benchmarks.md with the machine and the date."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from bench import core, machine

DOC = Path(__file__).parents[1] / "docs" / "benchmarks.md"


def main() -> int:
    sections = [("Foundation (issue 2)", core.run())]
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
    DOC.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines) + "\n")
    if failed:
        sys.stderr.write("Targets missed:\n" + "\n".join(failed) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
