"""Two server nodes behind HAProxy (issue 22): real desktop sync clients, one PostgreSQL, one
S3 bucket (moto's server), two ``sotay-server serve`` processes in empty folders of their own.

- two PCs sync through the balancer, round-robin per request on a kept-alive connection;
- an upload cut after three parts resumes at the byte on the other node (the first is
  killed), and the file downloads intact, with Range, from either node;
- a staff login on node 1, its form posted to node 2, the same form refused on node 1;
  wrong passwords counted together across the nodes;
- ``kill -9`` of the node holding a sync request, and the PC's next sync goes through;
- concurrent pushes for one branch from two PCs, each talking to a different node: every
  mutation applied once, the branch's sequence numbers without gaps or duplicates, and the
  statistics both nodes kept on write equal a rebuild from the records.

PostgreSQL only; skips without haproxy, moto or PostgreSQL, fails in CI without them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sotay_desktop.db.engine import Database, open_database
from sotay_desktop.db.tables import DocumentRow, FileRow, MemberRow, Meta
from sotay_desktop.services.members import add_member, update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.account import account
from sotay_desktop.services.sync.transport import SyncFailure, Transport
from sync_server import admin, staff
from sync_server.cli import main as sotay_server
from sync_server.models import AppliedMutation, ScopeSeq, StatBranch, StatMember
from tests.cluster_support import Cluster, running_cluster
from tests.conftest import TODAY
from tests.fault_proxy import FaultProxy
from tests.sync_support import digest, replica_diff
from tests.templates import open_copy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
PASSWORD = "mật khẩu tỉnh 2026"
PART = 32_768   # upload parts: several even for a small file


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("cluster")) as c:
        yield c


@pytest.fixture(scope="module")
def world(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[dict[str, Any]]:
    """A province, a commune, a branch and a staff user; two PCs of the branch enrolled and
    synced through a fault proxy in front of the balancer (PC-1 with the demo's data)."""
    tmp = tmp_path_factory.mktemp("pcs")
    with cluster.admin.session() as s:
        p = admin.add_unit(s, name="Tỉnh ủy Thái Bình", level="province", parent_id=None)
        c = admin.add_unit(s, name="Đảng ủy xã An Hòa", level="commune", parent_id=p.id)
        branch = admin.add_unit(s, name="Chi bộ thôn Đông", level="branch", parent_id=c.id).id
        staff.add_user(s, username="tinh", unit_id=p.id, password=PASSWORD,
                       display_name="Trần Văn Tỉnh")
        staff.add_user(s, username="xa", unit_id=c.id, password=PASSWORD,
                       display_name="Lê Thị Xã")
    proxy = FaultProxy(cluster.balancer.port)
    a = open_copy(tmp / "pc1", members=30, documents=4, meetings=3, seed=7)
    b = open_copy(tmp / "pc2")
    for db, label in ((a, "PC-1"), (b, "PC-2")):
        sync_client.enroll(db, proxy.url, cluster.admin.code(branch), label=label)
        sync_client.run_sync(db)
    yield {"a": a, "b": b, "branch": branch, "proxy": proxy, "tmp": tmp}
    proxy.close()
    a.close()
    b.close()


def _meta(s: Any) -> Meta:
    row = s.get(Meta, "sync_server_url")
    assert row is not None
    return row  # type: ignore[no-any-return]


def counted(db: Database, url: str | None = None) -> tuple[Transport, list[tuple[str, str]]]:
    """The PC's transport (to ``url`` if given), listing (node, "METHOD path") per answer."""
    if url is not None:
        with db.sessions.begin() as s:
            _meta(s).value = url
    transport = sync_client.transport_for(db)
    served: list[tuple[str, str]] = []

    def hook(r: requests.Response, *args: Any, **kwargs: Any) -> None:
        served.append((r.headers.get("X-Node", "?"), f"{r.request.method} {r.request.path_url}"))

    transport.http.hooks["response"].append(hook)
    return transport, served


def _members(db: Database) -> list[MemberRow]:
    with db.reads() as s:
        rows = list(s.scalars(select(MemberRow).order_by(MemberRow.sort_key)))
        s.expunge_all()
    return rows


def test_two_pcs_sync_round_robin_per_request_and_converge(
        cluster: Cluster, world: dict[str, Any]) -> None:
    a, b, proxy = world["a"], world["b"], world["proxy"]
    proxy.counters.reset()
    with requests.Session() as http:   # one kept-alive connection, every request balanced
        nodes = [http.get(proxy.url + "/healthz").headers["X-Node"] for _ in range(4)]
    assert sorted(nodes) == ["n1", "n1", "n2", "n2"] and proxy.counters.connections == 1
    assert digest(a) == digest(b), replica_diff(a, b)[:20]
    first, second = _members(a)[:2]
    served: list[tuple[str, str]] = []
    for i in range(3):
        with a.sessions.begin() as s:
            update_member(s, member_id=first.id, data={"residence": f"Xóm {i}"}, today=TODAY)
        with b.sessions.begin() as s:
            update_member(s, member_id=second.id, data={"phone": f"0912 000 00{i}"},
                          today=TODAY)
        for db in (a, b, a):
            transport, log = counted(db)
            sync_client.run_sync(db, transport)
            served += log
    assert {node for node, _ in served} == {"n1", "n2"}, served
    assert _members(b)[0].residence == "Xóm 2" and _members(a)[1].phone == "0912 000 002"
    assert digest(a) == digest(b), replica_diff(a, b)[:20]


def test_an_upload_cut_resumes_on_the_other_node_and_downloads_intact(
        cluster: Cluster, world: dict[str, Any]) -> None:
    from sotay_desktop.services.documents import add_document
    from tests.docfactory import make_pdf

    a, b, proxy, branch = world["a"], world["b"], world["proxy"], world["branch"]
    pdf = make_pdf(world["tmp"] / "nghi-quyet.pdf", ["Nghị quyết chi bộ tháng 11"] * 600)
    pdf.write_bytes(pdf.read_bytes() + os.urandom(300_000))   # past %%EOF: a scan's size
    data = pdf.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    with a.sessions.begin() as s:
        add_document(s, files_dir=a.files_dir, unit_id=branch, path=pdf,
                     metadata={"title": "Nghị quyết tháng 11", "origin": "own"}, today=TODAY)
    transport, served = counted(a)
    transport.part_bytes = PART
    parts: list[str] = []

    def cut_after_three(r: requests.Response, *args: Any, **kwargs: Any) -> None:
        if r.request.method == "PUT" and r.status_code == 204:
            parts.append(r.headers["X-Node"])
            if len(parts) == 3:
                proxy.faults.cut_after = 0   # the link drops before the fourth part

    transport.http.hooks["response"].append(cut_after_three)
    with pytest.raises(SyncFailure):
        sync_client.run_sync(a, transport)
    proxy.faults.cut_after = None
    assert len(data) > 6 * PART and len(parts) == 3 and set(parts) == {"n1", "n2"}
    gone = parts[0]                      # the node that took the first part: killed
    cluster.node(gone).kill()
    cluster.balancer.wait_status(gone, "DOWN")
    transport, served = counted(a)
    transport.part_bytes = PART
    report = sync_client.run_sync(a, transport)
    assert report.files_up == 1 and report.bytes_files == len(data) - 3 * PART  # at the byte
    assert {node for node, _ in served} == {"n2" if gone == "n1" else "n1"}
    cluster.restart(gone)
    downloaded: list[str] = []
    for _ in range(10):   # a little at a time: each Range request may go to either node
        transport, served = counted(b)
        report = sync_client.run_sync(b, transport, budget=len(data) // 4)
        downloaded += [node for node, what in served if what.startswith("GET /api/v1/files")]
        if report.files_down:
            break
    assert set(downloaded) == {"n1", "n2"}
    assert (b.files_dir / sha[:2] / sha).read_bytes() == data
    with b.reads() as s:
        assert s.get(FileRow, sha).present


def test_a_staff_login_on_one_node_posts_a_form_to_the_other_once(
        cluster: Cluster, world: dict[str, Any]) -> None:
    n1, n2 = cluster.node("n1").url, cluster.node("n2").url
    b, branch = world["b"], world["branch"]
    http = requests.Session()
    r = http.post(n1 + "/province/login", data={"username": "tinh", "password": PASSWORD},
                  allow_redirects=False)
    assert r.status_code == 303 and "sotay_staff" in http.cookies
    page = http.get(n1 + "/province/publish").text
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token is not None
    payload = b"%PDF-1.4 chi thi " + bytes(range(256)) * 400
    form = {"form_token": token.group(1), "to": branch, "title": "Chỉ thị về đại hội",
            "number": "05-CT/TU", "doc_type": "CT", "issued_on": "20/11/2026"}

    def publish(url: str) -> requests.Response:
        return http.post(url + "/province/publish", data=form, allow_redirects=False,
                         files={"file": ("chi-thi-05.pdf", io.BytesIO(payload),
                                         "application/pdf")})

    r = publish(n2)
    assert r.status_code == 303, r.text
    assert http.get(n2 + r.headers["location"]).status_code == 200
    again = publish(n1)                  # the same form, to the node that issued it
    assert again.status_code == 409 and "đã được gửi một lần" in again.text
    sync_client.run_sync(b)
    sha = hashlib.sha256(payload).hexdigest()
    with b.reads() as s:
        titles = [d.title for d in s.scalars(select(DocumentRow))]
    assert titles.count("Chỉ thị về đại hội") == 1
    assert (b.files_dir / sha[:2] / sha).read_bytes() == payload
    # wrong passwords counted together whichever node they reach
    for url in (n1, n2, n1, n2, n1):
        r = requests.post(url + "/province/login", data={"username": "xa", "password": "sai"},
                          allow_redirects=False)
        assert r.status_code == 401
    for url in (n1, n2):
        r = requests.post(url + "/province/login", data={"username": "xa", "password": PASSWORD},
                          allow_redirects=False)
        assert r.status_code == 429


def test_a_node_killed_mid_sync_and_the_next_sync_goes_through(
        cluster: Cluster, world: dict[str, Any]) -> None:
    a, proxy, branch = world["a"], world["proxy"], world["branch"]
    sync_client.run_sync(a)
    c = open_database(world["tmp"] / "pc3")
    sync_client.enroll(c, proxy.url, cluster.admin.code(branch), label="PC-3")
    transport, served = counted(c)
    victim: dict[str, Any] = {}
    held = threading.Event()

    def hold_the_next(r: requests.Response, *args: Any, **kwargs: Any) -> None:
        if not victim:   # after the first answer, the next request goes to the other node
            name = "n2" if r.headers["X-Node"] == "n1" else "n1"
            victim.update(name=name, sent=int(cluster.balancer.stats()[name]["stot"]))
            cluster.node(name).signal(signal.SIGSTOP)   # it takes the request, answers none
            held.set()

    transport.http.hooks["response"].append(hold_the_next)
    outcome: dict[str, BaseException] = {}

    def first_sync() -> None:
        try:
            sync_client.run_sync(c, transport, page_bytes=4096)
        except SyncFailure as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=first_sync)
    thread.start()
    assert held.wait(60)
    deadline = time.monotonic() + 30
    while int(cluster.balancer.stats()[victim["name"]]["stot"]) == victim["sent"]:
        assert time.monotonic() < deadline, "the request never reached the node"
        time.sleep(0.02)
    cluster.node(victim["name"]).kill()  # kill -9 with the request in it
    thread.join(120)
    assert "error" in outcome            # the PC saw its sync fail
    transport, served = counted(c)
    report = sync_client.run_sync(c, transport, page_bytes=4096)
    assert report.requests > 1 and {n for n, _ in served} == {
        "n2" if victim["name"] == "n1" else "n1"}
    assert digest(c) == digest(a), replica_diff(c, a)[:20]   # nothing lost, nothing twice
    assert sync_client.run_sync(c).pulled == 0
    c.close()
    cluster.restart(victim["name"])


def _device(db: Database) -> str:
    with db.reads() as s:
        acct = account(s)
        assert acct is not None
        return acct.device_id


def test_concurrent_pushes_through_two_nodes_keep_the_sequence_whole(
        cluster: Cluster, world: dict[str, Any]) -> None:
    a, b, branch = world["a"], world["b"], world["branch"]
    for db in (a, b, a):
        sync_client.run_sync(db)
    devices = [_device(a), _device(b)]
    with cluster.admin.session() as s:
        start = s.scalar(select(ScopeSeq.seq).where(ScopeSeq.scope_id == branch))
        floor = {d: s.scalar(select(AppliedMutation.mutation_id).where(
            AppliedMutation.device_id == d).order_by(AppliedMutation.mutation_id.desc())
            .limit(1)) or 0 for d in devices}
    pcs = [(a, cluster.node("n1").url), (b, cluster.node("n2").url)]
    transports = [counted(db, url) for db, url in pcs]
    errors: list[BaseException] = []
    rounds, per_round = 6, 4
    for r in range(rounds):
        for i, (db, _) in enumerate(pcs):
            with db.sessions.begin() as s:
                for k in range(per_round):
                    add_member(s, unit_id=branch, today=TODAY, data={
                        "full_name": f"Đảng viên {i + 1}-{r}-{k}", "admitted_on": "2001-01-05"})
        barrier = threading.Barrier(2)

        def push(db: Database, transport: Transport, barrier: threading.Barrier = barrier
                 ) -> None:
            barrier.wait()
            try:
                sync_client.run_sync(db, transport)
            except BaseException as exc:   # reported below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=push, args=(db, t))
                   for (db, _), (t, _) in zip(pcs, transports, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert errors == []
    for (_, url), (transport, served) in zip(pcs, transports, strict=True):
        assert transport.base == url and len(served) >= rounds   # straight to its node
    # A, B, A, then B again: a PC brings its study reports in line with the roster before it
    # pushes, so when A's first sync here pulls B's last members, A sends the report's new
    # counts at its second; B's last sync takes them (the report lags one sync behind the
    # roster: docs/hoc_tap.md).
    for db in (a, b, a, b):
        sync_client.run_sync(db)
    assert digest(a) == digest(b), replica_diff(a, b)[:20]
    names = {m.full_name for m in _members(a) if m.full_name.startswith("Đảng viên ")}
    assert len(names) == 2 * rounds * per_round
    with cluster.admin.session() as s:
        end = s.scalar(select(ScopeSeq.seq).where(ScopeSeq.scope_id == branch))
        results = [json.loads(row.result) for row in s.scalars(select(AppliedMutation).where(
            AppliedMutation.device_id.in_(devices))) if row.mutation_id > floor[row.device_id]]
    assert {r["status"] for r in results} == {"applied"}
    versions = sorted(r["version"] for r in results)
    # every mutation applied once, with its own number; the numbers run without a gap
    assert start is not None and end is not None
    assert versions == list(range(start + 1, end + 1))
    # the statistics kept on write by both nodes at once equal a rebuild from the records
    before = _roll_ups(cluster, branch)
    assert len(before[1]) >= len(_members(a))
    assert sotay_server(["--db", cluster.db_url, "stats", "rebuild"]) == 0
    assert _roll_ups(cluster, branch) == before
    for db, _ in pcs:
        with db.sessions.begin() as s:
            _meta(s).value = world["proxy"].url


def _roll_ups(cluster: Cluster, branch: str) -> tuple[Any, ...]:
    with cluster.admin.session() as s:
        counts = s.execute(select(StatBranch.members, StatBranch.open_conflicts).where(
            StatBranch.scope_id == branch)).all()
        members = s.execute(select(StatMember.id, StatMember.status, StatMember.deleted).where(
            StatMember.scope_id == branch).order_by(StatMember.id)).all()
    return [tuple(r) for r in counts], [tuple(r) for r in members]


def test_the_nodes_kept_nothing_on_their_own_disk(cluster: Cluster, world: dict[str, Any]) -> None:
    assert [n.stored_files() for n in cluster.nodes] == [[], []]
    assert all(s["status"].startswith("UP") for s in cluster.balancer.stats().values())
