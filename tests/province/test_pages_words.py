"""The province pages (issue 7): every text key they use exists, and they speak English when
asked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.province.support import login, text_of, token_of

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def _page_keys() -> set[str]:
    """The text keys the pages use: every ``t("…")`` of the templates, and every ``pages.…``
    string of the server's Python (PageError messages, login errors, titles)."""
    import ast

    import sync_server

    server = Path(sync_server.__file__).parent     # the installed package (make server-alone)
    found: set[str] = set()
    for path in (server / "templates").glob("*.html"):
        found |= {m.group(2) for m in re.finditer(r'\bt\((["\'])([^"\']+)\1',
                                                  path.read_text("utf-8"))}
    for path in server.rglob("*.py"):
        if "build" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"pages\.[a-z_]+\.[a-z0-9_]+", node.value):
                found.add(node.value)
    return found


def test_every_key_the_pages_use_exists() -> None:
    """Strict mode raises on a missing key when a page is shown; this finds one on a page no
    test shows. The words of data codes (``label(group, code)``) are checked per code."""
    from sotay_core import i18n
    from sync_server import queries

    used = _page_keys()
    assert len(used) > 100
    used |= {f"pages.level.{c}" for c in ("province", "commune", "branch")}
    used |= {f"pages.status.{c}" for c in queries.STATUS_ORDER}
    used |= {f"pages.gender.{c}" for c in ("male", "female", "unrecorded")}
    used |= {f"pages.kind.{c}" for c in ("monthly", "thematic")}
    used |= {f"pages.resolution.{c}" for c in ("draft", "circulated", "adopted")}
    missing = sorted(k for k in used if not i18n.has_message(k))
    assert not missing, missing


def test_the_pages_speak_english_when_asked(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    r = c.get("/province/lang/en", params={"next": f"/province/units/{ids['p']}"},
              follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/province/units/{ids['p']}"
    page = text_of(c.get(f"/province/units/{ids['p']}").text)
    assert "Organisation tree" in page and "branches held their meeting in the app" in page
    assert "3 branches · 4 members" in page and "Cây tổ chức" not in page
    page = text_of(c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text)
    assert "Comment on the draft" in page and "Adopted" in page
    assert "Full members 2" in text_of(c.get(f"/province/branches/{ids['b1']}").text)
    r = c.get(f"/province/units/{ids['p']}?month=2026-13")
    assert r.status_code == 400 and "The month «2026-13» is not valid" in r.text
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    r = c.post(f"/province/branches/{ids['b1']}/resolutions/{env['adopted']}/comments",
               data={"form_token": token_of(page), "body": "muộn"})
    assert r.status_code == 400 and "The resolution is adopted" in r.text
    # back to Vietnamese; a language switch never sends anyone off-site
    r = c.get("/province/lang/vi", params={"next": "https://example.com/"},
              follow_redirects=False)
    assert r.headers["location"] == "/province/"
    assert "Cây tổ chức" in c.get(f"/province/units/{ids['p']}").text
