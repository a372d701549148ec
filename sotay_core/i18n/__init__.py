"""The one translation mechanism for user-facing text (Vietnamese first, English too), shared
by the desktop, the command line and the server's pages.

Import explicitly: ``from sotay_core import i18n`` then ``i18n.t("code", **params)``.
Nothing is installed into builtins.

The words live in per-area catalogue files, ``catalogues/<area>.toml``, each entry keyed by an
identifier and holding ``vi`` and ``en`` text with ``{name}`` placeholders. A key is defined in
one file only. Field labels are keyed ``field.<name>`` and table labels ``table.<name>``.

A missing key or a placeholder the caller did not supply is a programming error: in strict mode
(the tests, or ``SOTAY_I18N_STRICT=1``) it raises :class:`TextError`; in use it is logged and
the person sees the key or the unfilled text rather than a crash.
Fixed official wording of Party documents is not here: it belongs to the document generators.
"""

from __future__ import annotations

import functools
import logging
import os
import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

LANGUAGES = ("vi", "en")
_current = "vi"
_strict = os.environ.get("SOTAY_I18N_STRICT", "") not in ("", "0")
log = logging.getLogger(__name__)


class TextError(LookupError):
    """A key with no catalogue entry, or a placeholder the caller did not fill."""


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def set_strict(strict: bool) -> None:
    """Raise on a missing key or placeholder instead of logging it (the tests turn this on)."""
    global _strict
    _strict = strict


@functools.cache
def catalogues() -> Mapping[str, Mapping[str, Mapping[str, str]]]:
    """Every area's entries: ``{area: {key: {"vi": …, "en": …}}}``, read once."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    folder = resources.files(__package__).joinpath("catalogues")
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.name.endswith(".toml"):
            found[item.name.removesuffix(".toml")] = tomllib.loads(item.read_text("utf-8"))
    return found


@functools.cache
def _entries() -> Mapping[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for area, entries in catalogues().items():
        for key, entry in entries.items():
            if key in merged:
                raise TextError(f"text key {key!r} is defined twice (again in {area}.toml)")
            merged[key] = entry
    return merged


def entries() -> Mapping[str, Mapping[str, str]]:
    """All keys of all areas (for the checks in tests/test_i18n.py)."""
    return _entries()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _fail(problem: str) -> None:
    if _strict:
        raise TextError(problem)
    log.warning("%s", problem)


def t(code: str, *, lang: str | None = None, **params: Any) -> str:
    """The message for ``code`` in ``lang`` (default: the current language)."""
    entry = _entries().get(code)
    if entry is None:
        _fail(f"no text for key {code!r}")
        return code
    text = entry.get(lang or _current) or entry["vi"]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError) as exc:
        _fail(f"text {code!r} needs {exc} (given: {sorted(params)})")
        return text


def has_message(code: str) -> bool:
    return code in _entries()


def field_label(field: str, *, lang: str | None = None) -> str:
    """The label of a record field; a field without one (a name sent by a newer server, say)
    shows as its name."""
    entry = _entries().get(f"field.{field}")
    if entry is None:
        return field
    return entry.get(lang or _current) or entry["vi"]


def table_label(table: str, *, lang: str | None = None) -> str:
    entry = _entries().get(f"table.{table}")
    return (entry.get(lang or _current) or entry["vi"]) if entry else table
