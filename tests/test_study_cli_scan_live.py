"""``sotay study scan SESSION`` at a terminal with a USB card scanner: each card is answered
as it arrives (the answer to line 1 is on the screen before line 2 is typed), a card scanned
twice counts once, a refused line is said in words, the exit code says some were refused."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from tests.test_study_cli import _fixed_day, _member_lines, _new_plan, as_json, folder, ok

__all__ = ["_fixed_day", "folder"]     # the fixtures, used here by name

WAIT = 60.0    # seconds: generous, a slow machine still answers well within it


def _reader(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line.rstrip("\n"))
    lines.put(None)


def test_each_scanned_card_is_answered_before_the_next(folder: tuple[str, str]) -> None:
    plan = _new_plan(folder)
    members = _member_lines(folder, plan)
    first, second = [line for line in members.values() if line["targeted"]][:2]
    ok("study", "session", "add", plan, *folder, "--date", "20/11/2026")
    session = as_json("study", "session", "list", plan, *folder)[0]["id"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sotay_desktop.cli", "study", "scan", session[-8:], *folder],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", env=env, cwd=Path(__file__).parent.parent)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    said: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, said), daemon=True).start()
    try:
        answers = []
        for code in (first["code"], first["code"], "12345", second["code"]):
            proc.stdin.write(code + "\n")
            proc.stdin.flush()
            answers.append(said.get(timeout=WAIT))   # this card's answer, stdin still open
        proc.stdin.close()
        rest = []
        while (line := said.get(timeout=WAIT)) is not None:
            rest.append(line)
        assert proc.wait(timeout=WAIT) == 1
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert answers[0] == f"Dòng 1: {first['full_name']} – có mặt."
    assert answers[1].startswith("Dòng 2:") and "chỉ tính một lần" in answers[1]
    assert answers[2].startswith("Dòng 3: không ghi –")
    assert answers[3] == f"Dòng 4: {second['full_name']} – có mặt."
    assert rest == ["Có mặt: 2; dòng không ghi được: 1."]
    assert "1 dòng không ghi được" in err and "Traceback" not in err
    held = as_json("study", "session", "list", plan, *folder)[0]["present"]
    assert sorted(held) == sorted([first["id"], second["id"]])
