"""Vietnamese everywhere, and English with no Vietnamese left in it: the catalogues (every
key used exists, is defined once, has the same placeholders in both languages; strict mode),
and the command line's help and argparse's own words in both languages."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator

import pytest

from sotay_core import i18n
from sotay_core.i18n import argparse_words
from sotay_desktop import cli
from tests.cli_support import commands, help_gaps
from tests.vietnamese import vietnamese_letters


def test_the_check_itself_finds_vietnamese_and_passes_english() -> None:
    assert vietnamese_letters("Lỗi: file not found") == ["ỗ"]
    assert vietnamese_letters("đ") == ["đ"]
    assert vietnamese_letters("Open Sổ tay again; naïve «quotes» — fine…") == []


def _english_entries() -> Iterator[tuple[str, str]]:
    for code, entry in i18n.entries().items():
        yield code, entry.get("en", "")


def test_every_message_has_english_with_no_vietnamese_fragments() -> None:
    missing = [code for code, text in _english_entries() if not text]
    mixed = [f"{code}: {text!r} ({''.join(vietnamese_letters(text))})"
             for code, text in _english_entries() if vietnamese_letters(text)]
    assert not missing, missing
    assert not mixed, "\n".join(mixed)


# --- the command line -----------------------------------------------------------------


def _help(argv: list[str], monkeypatch: pytest.MonkeyPatch, lang: str | None) -> str:
    if lang is None:
        monkeypatch.delenv("SOTAY_LANG", raising=False)
    else:
        monkeypatch.setenv("SOTAY_LANG", lang)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    try:
        with pytest.raises(SystemExit) as ended:
            cli.main([*argv, "--help"])
        assert ended.value.code == 0
    finally:
        i18n.set_language("vi")
    return out.getvalue()


COMMANDS = list(commands(cli.build_parser()))


def test_there_are_commands_to_check() -> None:
    assert ("members", "list") in COMMANDS and ("backup",) in COMMANDS and len(COMMANDS) > 25


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda c: " ".join(c) or "sotay")
def test_help_of_every_command_in_vietnamese_and_in_english(
        command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    vi = _help(list(command), monkeypatch, None)
    assert vi.startswith("cách dùng: sotay")
    assert "tuỳ chọn:" in vi and "hiện hướng dẫn này rồi thoát" in vi
    assert "usage" not in vi and "show this help" not in vi
    assert vietnamese_letters(vi)      # the command's own description, in Vietnamese
    en = _help(["--lang", "en", *command], monkeypatch, "vi") if command == () else \
        _help(list(command), monkeypatch, "en")
    assert en.startswith("usage: sotay") and "options:" in en
    assert "show this help message and exit" in en
    assert not vietnamese_letters(en), en


def test_every_command_and_option_has_help_text() -> None:
    """No command, option or argument is left without words in the help."""
    assert not list(help_gaps(cli.build_parser(), "sotay"))


def test_argparse_errors_speak_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOTAY_LANG", raising=False)
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    with pytest.raises(SystemExit):
        cli.main(["meeting", "export", "abc"])
    text = err.getvalue()
    assert "cách dùng:" in text and "lỗi: còn thiếu: --what, -o/--output" in text
    err.truncate(0)
    err.seek(0)
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "meeting", "export", "abc", "--what", "nonsense"])
    i18n.set_language("vi")
    text = err.getvalue()
    assert "usage:" in text and "invalid choice" in text and not vietnamese_letters(text)


def test_argparse_is_left_as_it_was() -> None:
    before = vars(argparse)["_"]
    with argparse_words.speaking():
        assert vars(argparse)["_"] is argparse_words.translate
    assert vars(argparse)["_"] is before


def test_the_language_is_read_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOTAY_LANG", "en")
    assert argparse_words.language_in([]) == "en"
    assert argparse_words.language_in(["--lang", "vi"]) == "vi"
    assert argparse_words.language_in(["--lang=vi", "backup"]) == "vi"
    monkeypatch.setenv("SOTAY_LANG", "fr")
    assert argparse_words.language_in(["--lang", "xx"], "vi") == "vi"


# --- the catalogues themselves --------------------------------------------------------

def test_every_entry_has_the_same_placeholders_in_both_languages() -> None:
    wrong = [f"{key}: vi {sorted(i18n.placeholders(e['vi']))} "
             f"en {sorted(i18n.placeholders(e['en']))}"
             for key, e in i18n.entries().items()
             if i18n.placeholders(e.get("vi", "")) != i18n.placeholders(e.get("en", ""))]
    assert not wrong, "\n".join(wrong)


def test_a_missing_key_or_placeholder_fails_in_strict_mode_and_only_logs_in_use(
        caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(i18n.TextError):
        i18n.t("no.such.key")
    with pytest.raises(i18n.TextError):
        i18n.t("too_long")              # needs {max}
    i18n.set_strict(False)
    try:
        assert i18n.t("no.such.key") == "no.such.key"
        assert "{max}" in i18n.t("too_long", lang="en")
        assert "no text for key 'no.such.key'" in caplog.text
    finally:
        i18n.set_strict(True)


def test_every_literal_key_in_the_source_is_in_a_catalogue() -> None:
    """``t("key", …)`` calls with a literal key, in every package, name a catalogue entry."""
    import ast
    from pathlib import Path

    root = Path(__file__).parents[1]
    missing = []
    for package in ("sotay_core", "sotay_desktop", "sync_server"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)
                        and (getattr(node.func, "id", None) == "t"
                             or getattr(node.func, "attr", None) == "t")
                        and not i18n.has_message(node.args[0].value)):
                    missing.append(f"{path.relative_to(root)}:{node.lineno} {node.args[0].value}")
    assert not missing, "\n".join(missing)


def test_a_key_is_defined_in_one_catalogue_only() -> None:
    seen: dict[str, str] = {}
    twice = []
    for area, entries in i18n.catalogues().items():
        for key in entries:
            if key in seen:
                twice.append(f"{key}: {seen[key]} and {area}")
            seen[key] = area
    assert not twice, twice


def test_every_placeholder_is_a_name() -> None:
    """Braces meant literally are doubled ({{…}}); a single one would be an unfilled field."""
    bad = [f"{key} ({lang}): {text!r}" for key, entry in i18n.entries().items()
           for lang, text in entry.items()
           if any(not name.isidentifier() for name in i18n.placeholders(text))]
    assert not bad, bad
