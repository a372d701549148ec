"""Behind a balancer every request comes from the balancer's address (issue 22). The limits
counted per client address (enrolment codes guessed) must still count each PC apart, from
the X-Forwarded-For the balancer adds, and only when it comes from a trusted balancer
(``SOTAY_SERVER_FORWARDED_ALLOW_IPS``): a PC that writes the header itself gains nothing.

A real ``sotay-server serve`` (uvicorn) process on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.sync_support import Server, running_server

pytestmark = pytest.mark.server


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path) as server:
        yield server


def _restart(server: Server, trusted: str) -> None:
    """The same server again, with 3 enrolment failures a minute per address and ``trusted``
    as its balancers."""
    server.stop()
    server.extra_env = {"SOTAY_SERVER_ENROLL_PER_MINUTE": "3",
                        "SOTAY_SERVER_FORWARDED_ALLOW_IPS": trusted}
    server.start()


def _enrol(server: Server, forwarded: str) -> int:
    return requests.post(server.url + "/api/v1/enroll", json={"code": "WRONG-CODE-0000"},
                         headers={"X-Forwarded-For": forwarded}, timeout=10).status_code


def test_each_pc_behind_a_trusted_balancer_is_counted_apart(limited: Server) -> None:
    _restart(limited, "127.0.0.1")
    assert [_enrol(limited, "203.0.113.7") for _ in range(4)] == [400, 400, 400, 429]
    # another PC (another address) is not blocked by the first one's guesses
    assert _enrol(limited, "198.51.100.9") == 400


def test_the_header_from_an_untrusted_sender_is_ignored(limited: Server) -> None:
    _restart(limited, "192.0.2.1")
    assert [_enrol(limited, f"203.0.113.{n}") for n in range(4)] == [400, 400, 400, 429]
