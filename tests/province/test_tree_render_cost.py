"""The tree page's rendering stays cheap (issue 20's profile, docs/benchmarks.md): no call of
``t()``, ``label()`` or ``grade()`` on the province or a commune's page makes Jinja copy the
whole context (a ``{% set %}`` in the main block or in a loop does, once per call: about
500 copies a render of the province), and the month's and the review's tables still list
every child."""

from __future__ import annotations

import jinja2.runtime
import pytest

from tests.province.support import THIS_MONTH, login

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def test_the_tree_page_never_copies_its_context(env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c, ids = env["client"], env["ids"]
    login(c)
    copies: list[str] = []
    real = jinja2.runtime.Context.derived

    def derived(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        copies.append(self.name or "")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.runtime.Context, "derived", derived)
    for unit in (ids["p"], ids["c1"]):
        page = c.get(f"/province/units/{unit}?month={THIS_MONTH:%Y-%m}"
                     f"&review_year={THIS_MONTH.year}").text
        for table in ("tree", "month", "review"):
            assert f'id="{table}"' in page
        assert page.count('<tr class="total">') == 2          # the month's and the review's
    assert copies == []
    # each of the province's communes has its row in the month's and the review's tables
    page = c.get(f"/province/units/{ids['p']}?month={THIS_MONTH:%Y-%m}").text
    for name in ("Đảng ủy xã An Hòa", "Đảng ủy xã Bình Minh"):
        assert page.count(name) >= 3
