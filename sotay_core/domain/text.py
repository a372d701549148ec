"""Vietnamese text rules: normalisation at input, search folding and roster collation.

Everything here is pure and table-driven, so no ICU is needed at run time.

* ``clean_line`` / ``clean_block``: NFC plus rejection of control characters,
  applied at every input boundary (forms, import, CLI, sync).
* ``fold``: the search key. Diacritics, đ/Đ, case and tone placement
  ("Hòa" vs "Hoà") all fold away, so "nguyen thi hoa" finds "Nguyễn Thị Hoà".
* ``collation_key``: Vietnamese dictionary order (Vũ Xuân Lương): letters
  a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, letters before
  tones, tones ngang < huyền < hỏi < ngã < sắc < nặng, syllable by syllable,
  lowercase before uppercase.
* ``name_sort_key``: roster order, by given name (the last word), then by the
  family and middle names.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "TextError",
    "clean_block",
    "clean_line",
    "collation_key",
    "fold",
    "fold_words",
    "matches_words",
    "name_sort_key",
    "nfc",
    "split_name",
]


class TextError(ValueError):
    """Raised for text that cannot be stored (e.g. control characters)."""

    def __init__(self, code: str, char: str) -> None:
        super().__init__(f"{code}: U+{ord(char):04X}")
        self.code = code
        self.char = char


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Zero-width and direction marks that copy-paste from the web leaves behind;
# they are invisible, so they are dropped rather than refused.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"), None)
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _check_controls(text: str, allowed: str) -> None:
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            raise TextError("control_character", ch)


def clean_line(text: str) -> str:
    """A single-line field: NFC, invisible marks dropped, spaces collapsed, trimmed.

    Control characters (tab, newline, NUL, ESC …) are refused, not silently eaten,
    so the caller can name the field to the user.
    """
    text = nfc(text).translate(_INVISIBLE)
    _check_controls(text, "")
    return _SPACES.sub(" ", text).strip()


def clean_block(text: str) -> str:
    """A multi-line field: NFC, line ends unified to \\n, trailing spaces trimmed.

    Tabs and newlines are kept; other control characters are refused.
    """
    text = nfc(text).translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    _check_controls(text, "\n\t")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


# --- letters and tones -------------------------------------------------------

_TONE_MARKS = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Vietnamese alphabet with the foreign letters f j w z slotted in Latin order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}

# Ranks in the key string: digits, then letters, then everything else by code point.
_DIGIT_BASE = 0x30
_LETTER_BASE = 0x100
_OTHER_BASE = 0x1000
_END = "\x01"  # end of a syllable: below every letter, so "ac" < "ach"
_SEP = "\x00"  # between syllables / name parts


@functools.lru_cache(maxsize=4096)
def _analyse(ch: str) -> tuple[str, int, bool]:
    """One precomposed character -> (Vietnamese letter, tone 0-5, is upper case)."""
    upper = ch != ch.lower()
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, marks = decomposed[0], decomposed[1:]
    letter = base
    tone = 0
    for mark in marks:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        else:
            letter = _LETTER_MARKS.get((base, mark), letter)
    return letter, tone, upper


@functools.lru_cache(maxsize=4096)
def _rank_char(letter: str) -> str:
    if letter in _LETTER_RANK:
        return chr(_LETTER_BASE + _LETTER_RANK[letter])
    if letter.isdigit():
        return chr(_DIGIT_BASE + (unicodedata.digit(letter, 0)))
    return chr(_OTHER_BASE + ord(letter))


def _syllable_key(word: str) -> str:
    letters: list[str] = []
    tone = 0
    cases: list[str] = []
    for ch in word:
        letter, t, upper = _analyse(ch)
        letters.append(_rank_char(letter))
        tone = max(tone, t)  # one tone per syllable; keep the mark if misplaced
        cases.append("\x02" if upper else "\x01")
    return "".join(letters) + _END + chr(0x21 + tone) + "".join(cases)


_WORD_SPLIT = re.compile(r"[\s\-]+")


def collation_key(text: str) -> str:
    """A string whose plain (code point) order is Vietnamese dictionary order.

    Stored in the database so that ``ORDER BY`` gives roster order without ICU.
    """
    words = [w for w in _WORD_SPLIT.split(nfc(text).strip()) if w]
    return _SEP.join(_syllable_key(w) for w in words)


def split_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Thị", "Hoà") from "Nguyễn Thị Hoà": (family and middle names, given name)."""
    words = nfc(full_name).split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """Roster order: given name first, then family and middle names, then the raw text."""
    family_middle, given = split_name(full_name)
    return (
        collation_key(given)
        + _SEP * 2
        + collation_key(family_middle)
        + _SEP * 2
        + nfc(full_name)
    )


# --- search folding ----------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Search key: lower case ASCII words separated by single spaces.

    Every diacritic (tones and ă â ê ô ơ ư) is removed and đ becomes d, so
    both tone placements ("Hòa", "Hoà") and NFD input fold to the same key.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.lower().translate(_FOLD_EXTRA)
    return _NON_WORD.sub(" ", stripped).strip()


def fold_words(text: str) -> list[str]:
    return fold(text).split()


def matches_words(query: str, folded_target: str, *, prefix_last: bool = False) -> bool:
    """True when every word of ``query`` is a whole word of ``folded_target``.

    Word order does not matter ("hoa nguyen" finds "Nguyễn Thị Hoà"). With
    ``prefix_last`` the last query word may be the start of a word, for
    filter-as-you-type ("nguyen thi ho" already shows "Nguyễn Thị Hoà").
    """
    words = fold_words(query)
    if not words:
        return True
    target = folded_target.split()
    *whole, last = words
    if any(w not in target for w in whole):
        return False
    if prefix_last:
        return any(t.startswith(last) for t in target)
    return last in target


# --- passages for search results ---------------------------------------------


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded if len(folded) == 1 else " "


def fold_chars(text: str) -> str:
    """Fold each character of (NFC) ``text`` to one character, so positions line up.

    Used to find where a folded query matches and cut the same span out of the
    original text with its diacritics.
    """
    return "".join(_fold_char(ch) for ch in text)


def passage(text: str, query: str, *, width: int = 160) -> str:
    """About ``width`` characters of ``text`` around the first match of the query words.

    Whole-word matches are preferred; otherwise a word that starts with a query
    word. Falls back to the start of the text. Ellipses mark cut ends.
    """
    text = nfc(text)
    words = fold_words(query)
    if not text:
        return ""
    folded = fold_chars(text)
    start = -1
    for pattern in [rf"\b{re.escape(w)}\b" for w in words] + [rf"\b{re.escape(w)}" for w in words]:
        match = re.search(pattern, folded)
        if match:
            start = match.start()
            break
    if start < 0:
        start = 0
    left = max(0, start - width // 3)
    if left:
        space = text.rfind(" ", 0, left + 1)
        left = space + 1 if space >= 0 and left - space < 20 else left
    right = min(len(text), left + width)
    if right < len(text):
        space = text.find(" ", right)
        right = space if 0 <= space - right < 20 else right
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` that starts with a query word, ignoring diacritics."""
    words = fold_words(query)
    if not words:
        return []
    folded = fold_chars(nfc(text))
    spans = []
    for match in re.finditer(r"[0-9a-z]+", folded):
        if any(match.group(0).startswith(w) for w in words):
            spans.append((match.start(), match.end()))
    return spans
