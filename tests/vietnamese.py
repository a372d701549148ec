"""The tests' check for Vietnamese left in English text (tests/test_i18n.py, the English
command lines of the desktop and the server). Imports nothing of the desktop or the server."""

from __future__ import annotations

import unicodedata

# Names that stay as they are in English text, and why:
KEPT_NAMES = (
    "Sổ tay",          # the program's name, on its icon and window title in both languages
    "Họ và tên",       # the column header a roster file must have, quoted as it is in the file
    "Mẫu 7-HSĐV",      # the official roster form's name, as printed on the form
)
# Vietnamese letters: đ, and a Latin letter carrying a Vietnamese mark (breve, circumflex,
# horn, or one of the five tone marks).
VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0306", "\u0302", "\u031b"}


def vietnamese_letters(text: str) -> list[str]:
    for name in KEPT_NAMES:
        text = text.replace(name, "")
    found = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        if ch in "đĐ" or (decomposed[0].isascii() and decomposed[0].isalpha()
                          and any(mark in VI_MARKS for mark in decomposed[1:])):
            found.append(ch)
    return found
