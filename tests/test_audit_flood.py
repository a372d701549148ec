"""A stranger sending bad tokens as fast as it can (issue 22): every request is refused, but
the admin log gets at most ``AuditBudget.PER_MINUTE`` rows per client and minute (one
process), so the log and the disk do not grow at the attacker's rate."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server.app import create_app
from sync_server.limits import AuditBudget
from sync_server.models import AdminLog
from sync_server.settings import ServerSettings


def _refusals(app: object) -> int:
    with Session(app.state.engine) as s:   # type: ignore[attr-defined]
        return int(s.scalar(select(func.count()).select_from(AdminLog).where(
            AdminLog.action == "auth_refused")) or 0)


def test_bad_tokens_fill_the_admin_log_only_up_to_a_budget(tmp_path: Path) -> None:
    app = create_app(ServerSettings(db=f"sqlite:///{tmp_path / 'x.db'}",
                                    files_dir=str(tmp_path / "files")))
    budget = AuditBudget.PER_MINUTE
    with TestClient(app, client=("2001:db8:5:6::1", 5000)) as stranger:
        for i in range(budget + 15):
            r = stranger.get("/api/v1/files/" + "a" * 64,
                             headers={"Authorization": f"Bearer forged-{i}"})
            assert (r.status_code, r.json()["code"]) == (401, "sync_unauthorized")
        assert _refusals(app) == budget
    # Another address of the same IPv6 /64 is the same client; another client is written.
    with TestClient(app, client=("2001:db8:5:6::99", 5000)) as same:
        assert same.get("/api/v1/files/" + "a" * 64).status_code == 401
    with TestClient(app, client=("192.0.2.7", 5000)) as other:
        assert other.get("/api/v1/files/" + "a" * 64).status_code == 401
    assert _refusals(app) == budget + 1


def test_the_budget_starts_again_each_minute_and_holds_few_clients() -> None:
    budget = AuditBudget()
    assert all(budget.allow("192.0.2.1", now=60.0) for _ in range(AuditBudget.PER_MINUTE))
    assert not budget.allow("192.0.2.1", now=61.0)
    assert budget.allow("192.0.2.1", now=120.0)
    crowd = AuditBudget()
    crowd.MAX_CLIENTS = 3
    assert [crowd.allow(f"192.0.2.{i}", now=0.0) for i in range(5)] == [True] * 3 + [False] * 2
    assert crowd.allow("192.0.2.0", now=1.0)   # a client already counted goes on
