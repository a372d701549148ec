"""The PC when the server's files folder goes wrong: the storage codes are read as
retryable, one missing file never stops the branch's sync, and uploads wait while the server
is full (the server's side: tests/test_file_faults.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import requests

from sync_server import admin, files


def _response(status: int, code: str) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps({"code": code, "detail": "", "params": {}}).encode()
    return r


def test_the_pc_reads_the_storage_codes_as_retryable() -> None:
    from sotay_core import i18n
    from sotay_desktop.services.sync.transport import error_from

    for status, code in ((507, "sync_storage_full"), (503, "sync_storage_unavailable"),
                         (507, "sync_quota_exceeded")):
        failure = error_from(_response(status, code))
        assert failure.code == code and failure.retry
        for lang in ("vi", "en"):
            text = i18n.t(code, lang=lang)
            assert text != code and ("đồng bộ" in text or "synced" in text)
    assert error_from(_response(500, "")).code == "sync_server_unavailable"


def test_the_pc_skips_a_missing_file_and_defers_uploads_on_a_full_server(tmp_path: Path
                                                                         ) -> None:
    """A real server (uvicorn) and a real PC: two files published, one blob lost. The PC's
    sync completes, fetches the good file, notes the missing one, and does so again next
    time. Then the server's folder is 'full' for uploads (a quota of 0): the records still
    sync, the PC's download still runs, and the failure is retryable with a plain text."""
    from sotay_desktop.services.documents import add_document
    from sotay_desktop.services.sync import client as sync_client
    from sotay_desktop.services.sync.transport import SyncFailure
    from tests.conftest import TODAY
    from tests.docfactory import make_pdf
    from tests.sync_support import running_server
    from tests.templates import open_copy

    with running_server(tmp_path / "srv") as server:
        [branch] = server.tree()
        good, lost = tmp_path / "tot.pdf", tmp_path / "mat.pdf"
        good.write_bytes(b"%PDF good " + os.urandom(30_000))
        lost.write_bytes(b"%PDF lost " + os.urandom(30_000))
        with server.session() as s:
            p_lost = admin.publish(s, server.files_dir, lost, to_unit=branch, title="Mất")
            p_good = admin.publish(s, server.files_dir, good, to_unit=branch, title="Tốt")
        files.blob_path(server.files_dir, p_lost.sha256).unlink()
        pc = open_copy(tmp_path / "pc")
        try:
            sync_client.enroll(pc, server.url, server.code(branch), label="PC")
            report = sync_client.run_sync(pc)
            assert report.files_down == 1 and report.files_skipped == 1
            assert f"sync_file_missing:{p_lost.sha256[:12]}" in report.notes
            assert (pc.files_dir / p_good.sha256[:2] / p_good.sha256).read_bytes() == \
                good.read_bytes()
            again = sync_client.run_sync(pc)
            assert again.files_waiting == 0 and again.files_skipped == 1
            # The secretary is told, in plain words, in the CLI (and on the Sync screen).
            import io

            from sotay_desktop.cli import main as sotay
            out = io.StringIO()
            assert sotay(["sync", "--data-dir", str(tmp_path / "pc")], out=out) == 0
            assert "1 tệp không trao đổi được" in out.getvalue()
            # Uploads refused for lack of room: restart the server with a quota of 0.
            server.stop()
            os.environ["SOTAY_SERVER_DEVICE_STORED_BYTES"] = "0"
            try:
                server.start()
            finally:
                del os.environ["SOTAY_SERVER_DEVICE_STORED_BYTES"]
            pdf = make_pdf(tmp_path / "nghi-quyet.pdf", ["Nghị quyết chi bộ"] * 50)
            with pc.sessions.begin() as s:
                add_document(s, files_dir=pc.files_dir, unit_id=branch, path=pdf,
                             metadata={"title": "Nghị quyết", "origin": "own"}, today=TODAY)
            with pytest.raises(SyncFailure) as exc:
                sync_client.run_sync(pc)
            assert exc.value.code == "sync_quota_exceeded" and exc.value.retry
            from sotay_desktop.services import conflicts
            with pc.reads() as s:
                assert conflicts.pending_changes(s) == 0   # the record went up all the same
        finally:
            pc.close()
