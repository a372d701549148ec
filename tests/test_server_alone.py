"""The server installs alone: in its own venv (`make server-alone`) there is no Qt, no SQLCipher
and no desktop code, and the installed packages carry what they read at run time."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

ALONE = os.environ.get("SOTAY_SERVER_ONLY") == "1"


@pytest.mark.skipif(not ALONE, reason="only in the server's own venv (make server-alone)")
def test_the_servers_venv_has_nothing_of_the_desktop() -> None:
    for name in ("PySide6", "shiboken6", "sqlcipher3", "sotay_desktop", "keyring", "docx"):
        assert importlib.util.find_spec(name) is None, f"{name} is installed with the server"


@pytest.mark.skipif(not ALONE, reason="only in the server's own venv (make server-alone)")
def test_the_installed_packages_are_used_not_the_source_folders() -> None:
    import sotay_core
    import sync_server

    for module in (sotay_core, sync_server):
        assert "site-packages" in Path(module.__file__ or "").parts, module.__file__


def test_the_installed_server_finds_its_templates_migrations_and_words() -> None:
    from sotay_core import i18n
    from sync_server import app

    folder = Path(app.__file__).parent
    assert (folder / "templates" / "base.html").is_file()
    assert (folder / "migrations" / "env.py").is_file()
    assert any((folder / "migrations" / "versions").glob("s0001*.py"))
    assert i18n.t("required", lang="en") == "is required"
