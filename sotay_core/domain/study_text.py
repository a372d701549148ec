"""Text of a quiz or survey as it arrives from other tools (issue 21): a file Word or
Notepad saved, a page copied from the web, a plan's JSON from a PC that may be modified.

What a person cannot see (a byte-order mark, zero-width spaces and joiners, direction marks)
is dropped, so a line that reads "1. …" is read as one; Word's manual line and page breaks
(vertical tab, form feed) end a line. Any other control character (NUL, ESC …) is refused
with its line: it cannot be printed on a sheet nor written into the province's spreadsheet.
"""

from __future__ import annotations

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.text import TextError, clean_block, clean_line

_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n",
                         "\u2029": "\n"})


def _refused(char: str, line: int) -> ValidationError:
    return ValidationError("study.control_character", line=line,
                           codepoint=f"{ord(char):04X}")


def typed_lines(text: str) -> list[str]:
    """The lines of a typed quiz or survey, NFC, invisible marks dropped; ValidationError
    ``study.control_character`` naming the first line holding a control character."""
    body = text.translate(_BREAKS).replace("\r\n", "\n").replace("\r", "\n")
    try:
        return clean_block(body).split("\n")
    except TextError as exc:
        number = next(n for n, line in enumerate(body.split("\n"), 1) if exc.char in line)
        raise _refused(exc.char, number) from None


def clean_text(text: str, number: int) -> str:
    """One question's, choice's or explanation's text on one line (spaces collapsed,
    invisible marks dropped); ValidationError naming question ``number`` for a control
    character."""
    try:
        return clean_line(" ".join(text.split()))
    except TextError as exc:
        raise ValidationError("study.control_character_in", number=number,
                              codepoint=f"{ord(exc.char):04X}") from None
