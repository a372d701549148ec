"""Turn the suite's results (JSON lines) into docs/reliability.md.

    python -m tests.reliability.write_report build/reliability.jsonl docs/reliability.md
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

COMMAND = "make reliability"
# Every test of shared/reference/reliability.md: where it lives, or that it is not built.
CATALOGUE = [
    ("R1", "Power cuts of the local store", "tests/reliability/test_r01_power_cut.py"),
    ("R2", "kill -9 of client and server during sync", "tests/test_sync_faults.py"),
    ("R3", "Fault points of one sync cycle (cuts, lost answers, replays)",
     "tests/test_sync_faults.py, tests/test_sync_e2e.py"),
    ("R4", "Three PCs and a server, random edits and syncs (Hypothesis state machine)",
     "tests/test_sync_property.py"),
    ("R5", "End-of-sync convergence check inside the product",
     "tests/reliability/test_r05_convergence.py"),
    ("R6", "Two editors on one record", "tests/test_sync_e2e.py"),
    ("R7", "Weak links: 2g, poor 3g, silent stall", "tests/reliability/test_r07_weak_links.py"),
    ("R8", "Bounded load on PostgreSQL", "tests/reliability/test_r08_load.py"),
    ("R9", "Cross-branch authorisation matrix", "tests/test_server_authz.py"),
    ("R10", "Schemathesis on the server", "tests/test_server_schema.py"),
    ("R11", "Shared-PC separation, encryption at rest", "tests/test_profile.py"),
    ("R12", "Auto-lock and sign-out", "tests/test_gui_login.py"),
    ("R13", "Fuzzing of parsers and payloads", "tests/reliability/fuzzing/"),
    ("R14", "Login hardening (desktop delays; province staff limits)",
     "tests/test_gui_login.py, tests/province/test_pages_login.py, "
     "tests/province/test_pages_comments.py"),
    ("R15", "Audit log completeness and tamper evidence",
     "tests/reliability/test_r15_audit_chain.py, tests/test_audit.py"),
]


# Which R-test each outcome belongs to: (module, words of the test's name (any; None: all),
# R-id). A test may count for several.
RULES: list[tuple[str, tuple[str, ...] | None, str]] = [
    ("test_r01_power_cut", None, "R1"), ("test_r05_convergence", None, "R5"),
    ("test_r07_weak_links", None, "R7"),
    ("test_r08_load", None, "R8"), ("test_r13_fuzzing_server", None, "R13"),
    ("test_r13_fuzzing_client", None, "R13"),
    ("test_r15_audit_chain", None, "R15"), ("test_audit", ("chain", "together"), "R15"),
    ("test_sync_faults", ("kill",), "R2"), ("test_sync_faults", None, "R3"),
    ("test_sync_e2e", ("lost_answer", "resumes", "page", "parents", "revoked", "outdated",
                       "bundle", "nothing_syncs_twice", "in_parts"), "R3"),
    ("test_sync_e2e", ("merge", "conflict", "against"), "R6"),
    ("test_sync_property", None, "R4"), ("test_server_authz", None, "R9"),
    ("test_server_schema", None, "R10"), ("test_profile", None, "R11"),
    ("test_gui_login", ("lock", "clipboard"), "R12"),
    ("test_gui_login", ("wrong_password", "lost_password"), "R14"),
    ("test_pages_login", ("password", "login"), "R14"),
    ("test_pages_comments", ("forged",), "R14"),
]


def ids_of(nodeid: str) -> list[str]:
    module = nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
    name = nodeid.split("::")[-1]
    return [rid for mod, words, rid in RULES
            if mod == module and (words is None or any(w in name for w in words))]


def _machine() -> str:
    try:
        from bench.machine import describe

        info = describe()
        return (f"{info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['os']}; "
                f"Python {info['python']}; speed index {info['speed']}")
    except Exception as exc:  # the report is still written
        return f"(machine not described: {exc})"


def render(rows: list[dict[str, Any]]) -> str:
    results = [r for r in rows if r.get("kind") != "outcome"]
    outcomes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r.get("kind") == "outcome":
            for rid in ids_of(r["test"]):
                outcomes[rid].append(r)
    tier = results[0]["tier"] if results else "?"
    lines = [
        "# Reliability suite (issue 9)",
        "",
        f"Written by `{COMMAND}` (the long tier: `SOTAY_RELIABILITY=long`); do not edit by "
        "hand. The same tests run with small budgets in `make test` and CI.",
        "",
        f"- Date: {dt.datetime.now():%Y-%m-%d %H:%M}; tier: {tier}",
        f"- Machine: {_machine()}",
        "- The fault tools: tests/reliability/powercut.c (an LD_PRELOAD write log below "
        "SQLite, after SQLite's crash-test VFS), tests/fault_proxy.py (TCP proxy: latency, "
        "bandwidth, loss as retransmission delay, cuts, stalls), Hypothesis, a loopback load "
        "generator (tests/reliability/load.py).",
        "",
        "## Summary",
        "",
        "| ID | Test | Where | Result of this run |",
        "|---|---|---|---|",
    ]
    for rid, title, where in CATALOGUE:
        mine = outcomes.get(rid, [])
        if where is None:
            verdict = "**not built**"
        elif not mine:
            verdict = "not run in this run"
        else:
            failed = [o for o in mine if o["outcome"] == "failed"]
            skipped = [o for o in mine if o["outcome"] == "skipped"]
            passed = len(mine) - len(skipped)
            verdict = (f"**{len(failed)} failed** of {len(mine)}" if failed else
                       f"{passed} {'test' if passed == 1 else 'tests'} passed" +
                       (f", {len(skipped)} skipped" if skipped else ""))
        lines.append(f"| {rid} | {title} | {where or '—'} | {verdict} |")
    lines += ["", "## What was injected, how many trials, what held", ""]
    for r in results:
        lines += [f"### {r['id']} — {r['title']}", "",
                  f"- Injected: {r['injected']}",
                  f"- Trials: {r['trials']}",
                  f"- Held: {r['held']}"]
        if r.get("seconds") is not None:
            lines.append(f"- Time: {r['seconds']} s")
        for what, figure in r.get("figures", []):
            lines.append(f"- {what}: {figure}")
        lines.append("")
    lines += [
        "## Known gaps",
        "",
        "- R5 repairs a corruption of the server's copy in the server's favour where the PC "
        "holds the same row, and costs the server a read of the whole branch per check.",
        "- R1 simulates the disk below SQLite in one process: directory entries are durable at "
        "once, -shm is dropped, a torn write keeps a 512-byte-multiple prefix. It guards the "
        "app's settings and its commit/acknowledge order; it does not re-prove SQLite.",
        "- R7 emulates loss in the proxy as a retransmission delay per chunk (TCP repairs "
        "losses; the app never sees a lost byte); the network-namespace variant with tbf and "
        "nftables is not built.",
        "- R8 runs the load generator on the same 2 cores as the server and PostgreSQL, so "
        "rates are those of a shared VM; see docs/benchmarks.md for per-request CPU.",
        "- Before the first sync the audit chain's end is kept in audit-head.json beside "
        "the database (HMAC-signed on an encrypted profile): on a plain folder someone who "
        "edits both the database and the mark is not caught until the next sync.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip()] if source.exists() else []
    target.write_text(render(rows), encoding="utf-8")
    print(f"wrote {target} ({len(rows)} results)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
