"""Bytes per pulled record (issue 22, 6c): today's plain change list against the ``columns1``
encoding (sotay_core/protocol/columns.py), on the reference branch of the sync figures
(150 members, 300 documents, 48 meetings; records only).

- Per answer: the first sync's pages as the server cuts them, each gzipped as it is sent
  (level 6), plain list and columns; bytes / records.
- Per entity: that entity's records alone as one answer (so the entities do not share gzip's
  window or the tables, and the sum is above the whole).
- On the wire: two new PCs' first syncs through the counting proxy, one asking for the
  columns and one asking nothing (every PC before them): HTTP bytes, headers included.

Runnable alone: ``python -m bench.encoding``.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.sync import AS_OF, Counted, _fresh, _measure
from sotay_core.protocol import DEFAULT_PAGE_BYTES, Change
from sotay_core.protocol.columns import decode_changes, encode_changes
from sotay_desktop.db.engine import open_database
from sotay_desktop.services.demo import create_demo
from sotay_desktop.services.sync import client as sync_client
from sync_server import sync
from tests.fault_proxy import proxy_to
from tests.sync_support import running_server

Row = dict[str, str]


def _gz(payload: object, level: int = 6) -> int:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return len(gzip.compress(text, level, mtime=0))


def _plain(changes: list[Change]) -> list[object]:
    return [c.model_dump() for c in changes]


def _pages(server_session: object, unit: str) -> list[list[Change]]:
    pages, cursor, more = [], 0, True
    while more:
        changes, cursor, more = sync.pull(server_session, unit, cursor,  # type: ignore[arg-type]
                                          DEFAULT_PAGE_BYTES)
        pages.append(changes)
    return pages


def _best_ms(fn: Callable[[], object]) -> float:
    """Milliseconds of ``fn``, best of 3 (this VM's cores are shared)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def _answer_rows(pages: list[list[Change]]) -> list[Row]:
    records = sum(len(p) for p in pages)
    plain = sum(_gz(_plain(p)) for p in pages)
    packed = [encode_changes(p) for p in pages]
    columns = sum(_gz(p) for p in packed)
    level9 = sum(_gz(p, 9) for p in packed)
    wire = [json.loads(json.dumps(p, ensure_ascii=False)) for p in packed]
    encode_ms = _best_ms(lambda: [encode_changes(p) for p in pages])
    decode_ms = _best_ms(lambda: [decode_changes(p) for p in wire])
    return [{
        "what": f"Pulled records, whole first sync ({records:,} records in {len(pages)} "
                "answer(s)), gzip level 6",
        "figure": f"plain list {plain / records:.1f} B/record ({plain / 1024:.1f} KiB) → "
                  f"columns1 {columns / records:.1f} B/record ({columns / 1024:.1f} KiB), "
                  f"{(1 - columns / plain) * 100:.0f} % fewer; level 9 would give "
                  f"{level9 / records:.1f}",
        "target": "as dense as a columnar or dictionary encoding allows",
        "ok": ""}, {
        "what": "Cost of the columns1 encoding for that first sync",
        "figure": f"server encodes in {encode_ms:.0f} ms; the PC decodes (checks included) "
                  f"in {decode_ms:.0f} ms (best of 3)",
        "target": "", "ok": ""}]


def _entity_rows(pages: list[list[Change]]) -> list[Row]:
    by_entity: dict[str, list[Change]] = {}
    for change in (c for p in pages for c in p):
        by_entity.setdefault(change.entity, []).append(change)
    parts = []
    rest = [0, 0, 0]
    for entity, changes in sorted(by_entity.items(), key=lambda kv: -len(kv[1])):
        plain, columns = _gz(_plain(changes)), _gz(encode_changes(changes))
        if len(changes) >= 40:
            parts.append(f"{entity} ({len(changes):,}) {plain / len(changes):.1f} → "
                         f"{columns / len(changes):.1f}")
        else:
            rest = [rest[0] + len(changes), rest[1] + plain, rest[2] + columns]
    if rest[0]:
        parts.append(f"the other {len(by_entity) - len(parts)} entities ({rest[0]}) "
                     f"{rest[1] / rest[0]:.1f} → {rest[2] / rest[0]:.1f}")
    return [{"what": "Bytes per record by entity, plain list → columns1 (each entity gzipped "
                     "alone)", "figure": "; ".join(parts), "target": "", "ok": ""}]


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_server(tmp / "srv") as server:
            [unit] = server.tree()
            a = open_database(tmp / "pc1")
            with a.sessions.begin() as s:
                create_demo(s, members=150, documents=300, meetings=48, as_of=AS_OF, seed=11)
            sync_client.enroll(a, server.url, server.code(unit), label="PC-1")
            sync_client.run_sync(a, files=False)
            with server.session() as s:
                pages = _pages(s, unit)
            rows += _answer_rows(pages) + _entity_rows(pages)
            with proxy_to(server.port) as proxy:
                figures: dict[str, dict[str, float]] = {}
                for name, encodings in (("plain list (today, and every older PC)", []),
                                        ("columns1", None)):
                    db = _fresh(server, unit, tmp / f"pc-{len(figures)}", name[:20])
                    counted = Counted(db, proxy)
                    if encodings is not None:
                        counted.transport.encodings = encodings
                    figures[name] = _measure(proxy, counted, lambda db=db, c=counted:
                                             sync_client.run_sync(db, c.transport,
                                                                  files=False))
                    db.close()
            a.close()
    records = sum(len(p) for p in pages)
    for name, m in figures.items():
        rows.append({"what": f"First sync, records only, on the wire: {name}",
                     "figure": f"{m['requests']:.0f} req, {m['up'] / 1024:.1f} KiB up, "
                               f"{m['down'] / 1024:.1f} KiB down = {m['down'] / records:.1f} "
                               f"B down/record; link ≈ {m['link']:.1f} s",
                     "target": "", "ok": ""})
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['what']}: {row['figure']}")
