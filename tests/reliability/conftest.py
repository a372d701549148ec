"""Shared fixtures of the reliability suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.reliability.powercut import build_shim


@pytest.fixture(scope="session")
def powercut_shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shim = build_shim(tmp_path_factory.mktemp("shim"))
    if shim is None:
        if os.environ.get("CI"):
            pytest.fail("no C compiler: the power-cut shim cannot be built in CI")
        pytest.skip("no C compiler for the power-cut shim")
    return shim
