"""R8's load generator: simulated branch PCs against a real server on loopback.

Each worker process plays a share of the branches in turn: a no-change sync (most of the
time), a push of 5 comments, or a download of the published file, each a real HTTP request
with the branch's own token over a kept-alive connection. Every request is bounded (30 s
timeout) and the run is bounded by time and by count. Latencies and statuses go back to the
parent, which also samples the server's memory (``tests.sync_support.rss_kib``).
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

import requests

from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS

HEAD = SCHEMA_VERSIONS[-1]
MAX_REQUESTS = 200_000


def worker(args: tuple[str, list[dict[str, Any]], float, int, str]) -> dict[str, Any]:
    url, devices, seconds, seed, sha = args
    rng = random.Random(seed)
    http = requests.Session()
    cursors = {d["token"]: 0 for d in devices}
    next_id = {d["token"]: d.get("next_id", 1) for d in devices}
    samples: list[tuple[str, float, int]] = []      # kind, latency s, status (0: no answer)
    acked: dict[str, int] = {d["unit"]: 0 for d in devices}
    stop = time.monotonic() + seconds
    while time.monotonic() < stop and len(samples) < MAX_REQUESTS:
        d = rng.choice(devices)
        token = d["token"]
        headers = {"Authorization": f"Bearer {token}"}
        roll = rng.random()
        kind = "nochange" if roll < 0.6 else "push" if roll < 0.9 else "download"
        start = time.perf_counter()
        try:
            if kind == "download":
                r = http.get(f"{url}/api/v1/files/{sha}", headers=headers, timeout=30)
                _ = r.content
            else:
                body: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
                                        "cursors": {d["unit"]: cursors[token]}}
                if kind == "push":
                    first = next_id[token]
                    body["mutations"] = [
                        {"id": first + k, "entity": "comments", "row_id": new_id(),
                         "op": "add", "base_version": 0, "schema_version": HEAD,
                         # on the published document: a comment's target must exist
                         "fields": {"target_type": "document", "target_id": d["doc"],
                                    "author_text": "Tải thử", "body": f"Ý kiến {first + k}"}}
                        for k in range(5)]
                r = http.post(f"{url}/api/v1/sync", data=json.dumps(body), timeout=30,
                              headers=headers | {"Content-Type": "application/json"})
                if r.status_code == 200:
                    answer = r.json()
                    cursors[token] = answer["cursors"].get(d["unit"], cursors[token])
                    if kind == "push":
                        done = sum(1 for x in answer["results"] if x["status"] == "applied")
                        acked[d["unit"]] += done
                        next_id[token] += 5
        except requests.RequestException:
            samples.append((kind, time.perf_counter() - start, 0))
            continue
        samples.append((kind, time.perf_counter() - start, r.status_code))
    return {"samples": samples, "acked": acked,
            "next_id": {d["token"]: next_id[d["token"]] for d in devices}}
