"""R1: simulated power cuts under the real app's writes.

How (after SQLite's crash-test VFS, src/test6.c, but below SQLite, so it works for the
stdlib's SQLite and SQLCipher alike):

1. A branch folder is made and closed cleanly: the *baseline* (what the disk held).
2. A child process runs real app writes (``services.members.update_member``,
   ``services.meeting_records.add_comment``: each its own transaction with its outbox and audit
   rows) with ``powercut.c`` preloaded. Every write, truncate, sync and unlink of a file in
   the folder is appended to a log, in order. After each commit returns, the child appends an
   acknowledgement ("the app said: saved") to the same log.
3. A power cut at log position *c*: each file's image is the baseline plus its operations
   up to its last sync before *c* (durable), plus each later operation kept with p = 0.6,
   some torn to a 512-byte-multiple prefix (the disk wrote part of it). ``-shm`` is lost.
4. The image is opened by the app (``open_database``), ``PRAGMA integrity_check`` must say
   ok, the visible edits must be exactly a prefix 1..k of the plan with one outbox row and
   one audit row each, and k must include every acknowledged edit.

One workload run gives any number of cut points, so 100 cuts cost one child process.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SECTOR = 512


def build_shim(cache: Path) -> Path | None:
    """Compile powercut.c (cached by its hash); None when there is no C compiler."""
    source = HERE / "powercut.c"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = cache / f"powercut-{digest}.so"
    if target.exists():
        return target
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(target), str(source),
                    "-ldl", "-lpthread"], check=True)
    return target


@dataclass(frozen=True)
class Op:
    kind: str        # W write, T truncate, S sync, U unlink, A acknowledgement
    path: str
    offset: int
    data: bytes = b""


def ack_record(number: int) -> bytes:
    return b"A" + struct.pack("<H", 0) + struct.pack("<qI", number, 0)


def read_log(path: Path) -> list[Op]:
    """The log's operations; a record torn by the end of the run is dropped."""
    raw = path.read_bytes()
    ops: list[Op] = []
    i = 0
    while i + 3 <= len(raw):
        kind = raw[i:i + 1].decode()
        (plen,) = struct.unpack_from("<H", raw, i + 1)
        head = i + 3 + plen
        if head + 12 > len(raw):
            break
        name = raw[i + 3:head].decode()
        offset, length = struct.unpack_from("<qI", raw, head)
        end = head + 12 + length
        if end > len(raw):
            break
        ops.append(Op(kind, name, offset, raw[head + 12:end]))
        i = end
    return ops


def _apply(image: bytearray, op: Op, data: bytes | None = None) -> None:
    if op.kind == "T":
        del image[op.offset:]
        if len(image) < op.offset:
            image.extend(b"\0" * (op.offset - len(image)))
        return
    payload = op.data if data is None else data
    end = op.offset + len(payload)
    if len(image) < op.offset:
        image.extend(b"\0" * (op.offset - len(image)))
    image[op.offset:end] = payload


def image_at(baseline: Path, watch: Path, ops: list[Op], cut: int, rng: random.Random,
             *, keep: float = 0.6, torn: float = 0.25) -> dict[str, bytes]:
    """What the disk holds after a power cut before ``ops[cut]``: relative path → bytes."""
    durable: dict[str, bytearray] = {}
    for path in baseline.rglob("*"):
        if path.is_file() and not path.name.endswith("-shm"):
            durable[str(path.relative_to(baseline))] = bytearray(path.read_bytes())
    pending: dict[str, list[Op]] = defaultdict(list)
    prefix = str(watch) + os.sep
    for op in ops[:cut]:
        if op.kind == "A" or not op.path.startswith(prefix):
            continue                                   # acknowledgements; the folder itself
        rel = op.path[len(prefix):]
        if op.kind == "U":
            durable.pop(rel, None)
            pending.pop(rel, None)
        elif op.kind == "S":
            image = durable.setdefault(rel, bytearray())
            for waiting in pending.pop(rel, []):
                _apply(image, waiting)
        else:
            durable.setdefault(rel, bytearray())       # a new file's name is durable at once
            pending[rel].append(op)
    for rel, waiting in pending.items():
        image = durable.setdefault(rel, bytearray())
        for op in waiting:
            if rng.random() >= keep:
                continue                               # never reached the platter
            if op.kind == "W" and len(op.data) > SECTOR and rng.random() < torn:
                sectors = rng.randrange(len(op.data) // SECTOR)
                _apply(image, op, op.data[:sectors * SECTOR])   # torn mid-write
            else:
                _apply(image, op)
    return {rel: bytes(data) for rel, data in durable.items()}


def acknowledged(ops: list[Op], cut: int) -> int:
    return max((op.offset for op in ops[:cut] if op.kind == "A"), default=0)


# --- the workload ------------------------------------------------------------------------


@dataclass
class Plan:
    steps: list[tuple[str, str]]           # ("member", member id) or ("comment", resolution id)
    baseline_outbox: int
    baseline_audit: int

    def to_json(self) -> str:
        return json.dumps({"steps": self.steps, "outbox": self.baseline_outbox,
                           "audit": self.baseline_audit})

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls([tuple(s) for s in data["steps"]], data["outbox"],  # type: ignore[misc]
                   data["audit"])


def counts(db: Any) -> tuple[int, int]:
    from sqlalchemy import func, select

    from sotay_desktop.db.tables import AuditRow, OutboxRow

    with db.reads() as s:
        outbox = s.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity.in_(("members", "comments")))) or 0
        audit = s.scalar(select(func.count()).select_from(AuditRow).where(
            AuditRow.action == "change", AuditRow.entity.in_(("members", "comments")))) or 0
    return outbox, audit


def make_baseline(folder: Path, *, steps: int, seed: int, key: bytes | None) -> Plan:
    """A demo branch, closed cleanly, and the plan of edits the child will make."""
    import datetime as dt

    from sqlalchemy import select

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.db.tables import MemberRow, ResolutionRow
    from sotay_desktop.services.demo import create_demo

    db = open_database(folder, key=key)
    with db.sessions.begin() as s:
        create_demo(s, members=40, documents=2, meetings=3, as_of=dt.date(2026, 11, 22),
                    seed=seed)
    with db.reads() as s:
        members = sorted(s.scalars(select(MemberRow.id).where(MemberRow.deleted.is_(False))))
        draft = s.scalars(select(ResolutionRow.id).where(
            ResolutionRow.status == "draft")).first()
    outbox, audit = counts(db)
    db.close()
    rng = random.Random(seed)
    plan: list[tuple[str, str]] = []
    for _ in range(steps):
        if draft is not None and rng.random() < 0.25:
            plan.append(("comment", draft))
        else:
            plan.append(("member", rng.choice(members)))
    return Plan(plan, outbox, audit)


def run_child(shim: Path, folder: Path, log: Path, plan_file: Path, *, synchronous: str,
              key: bytes | None, timeout: float = 600) -> None:
    env = os.environ | {"LD_PRELOAD": str(shim), "SOTAY_POWERCUT_LOG": str(log),
                        "SOTAY_POWERCUT_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "tests.reliability.powercut_child", str(folder),
                    str(log), str(plan_file), synchronous, key.hex() if key else ""],
                   env=env, cwd=ROOT, check=True, timeout=timeout)


@dataclass
class Outcome:
    kind: str                 # ok, rolled_back, corrupt
    detail: str = ""
    applied: int = 0
    acked: int = 0


def check_image(files: dict[str, bytes], target: Path, plan: Plan, acked: int,
                key: bytes | None) -> Outcome:
    """Open the rebuilt folder as the app does and check it against the plan."""
    from sqlalchemy import select, text

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.db.tables import CommentRow, MemberRow

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for rel, data in files.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
    try:
        db = open_database(target, key=key)
    except Exception as exc:  # the app refused the file: a corrupt image
        return Outcome("corrupt", f"open: {type(exc).__name__}: {exc}"[:200], acked=acked)
    try:
        with db.engine.connect() as conn:
            verdict = conn.execute(text("PRAGMA integrity_check")).scalar()
        if verdict != "ok":
            return Outcome("corrupt", f"integrity_check: {verdict}"[:200], acked=acked)
        with db.reads() as s:
            notes = dict(s.execute(select(MemberRow.id, MemberRow.notes)).all())
            comments = {c for c in s.scalars(select(CommentRow.body))
                        if c.startswith("edit-")}
        outbox, audit = counts(db)
    except Exception as exc:
        return Outcome("corrupt", f"read: {type(exc).__name__}: {exc}"[:200], acked=acked)
    finally:
        db.close()
    visible = [int(n[5:]) for n in notes.values() if n and n.startswith("edit-")]
    visible += [int(c[5:]) for c in comments]
    applied = max(visible, default=0)
    expected_notes: dict[str, str] = {}
    expected_comments: set[str] = set()
    for number, (kind, target_id) in enumerate(plan.steps[:applied], start=1):
        if kind == "member":
            expected_notes[target_id] = f"edit-{number}"
        else:
            expected_comments.add(f"edit-{number}")
    wrong = [m for m, note in expected_notes.items() if notes.get(m) != note]
    if wrong or comments != expected_comments:
        return Outcome("corrupt", f"not a prefix of the plan at {applied}", applied, acked)
    if outbox - plan.baseline_outbox != applied or audit - plan.baseline_audit != applied:
        return Outcome("corrupt", f"edit/outbox/audit apart: {applied} edits, "
                       f"{outbox - plan.baseline_outbox} outbox, "
                       f"{audit - plan.baseline_audit} audit", applied, acked)
    if applied < acked:
        return Outcome("rolled_back", f"acknowledged {acked}, on disk {applied}", applied, acked)
    return Outcome("ok", "", applied, acked)


@dataclass
class Matrix:
    setting: str
    cuts: int
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    log_ops: int = 0
    acked: int = 0


def power_cut_matrix(work: Path, shim: Path, *, synchronous: str, cuts: int, steps: int,
                     seed: int, encrypted: bool = False) -> Matrix:
    """One workload under ``synchronous``, then ``cuts`` power cuts at random log positions."""
    key = hashlib.sha256(f"key-{seed}".encode()).digest() if encrypted else None
    folder = work / "live"
    baseline = work / "baseline"
    for path in (folder, baseline):
        shutil.rmtree(path, ignore_errors=True)
    folder.mkdir(parents=True)
    plan = make_baseline(folder, steps=steps, seed=seed, key=key)
    shutil.copytree(folder, baseline)
    plan_file = work / "plan.json"
    plan_file.write_text(plan.to_json(), encoding="utf-8")
    log = work / "writes.log"
    log.unlink(missing_ok=True)
    run_child(shim, folder.resolve(), log, plan_file, synchronous=synchronous, key=key)
    ops = read_log(log)
    rng = random.Random(seed)
    label = synchronous.replace("-ACK-EARLY", ", acknowledged before commit")
    matrix = Matrix(f"WAL + synchronous={label}" + (" (SQLCipher)" if encrypted else ""),
                    cuts, log_ops=len(ops), acked=acknowledged(ops, len(ops)))
    positions = sorted(rng.randrange(1, len(ops) + 1) for _ in range(cuts))
    for cut in positions:
        files = image_at(baseline, folder.resolve(), ops, cut, rng)
        outcome = check_image(files, work / "after-cut", plan, acknowledged(ops, cut), key)
        matrix.outcomes[outcome.kind] += 1
        if outcome.kind != "ok" and len(matrix.examples) < 3:
            matrix.examples.append(f"cut at {cut}/{len(ops)}: {outcome.detail}")
    return matrix
