"""Cross-check of our table-driven collation against ICU's ``vi`` collator, where installed.

One deliberate difference: ICU weighs *where* a tone mark sits ("hoả" < "Hòa",
because the mark is on a later letter), while we treat the tone as belonging
to the syllable, so "Hòa" and "Hoà" sort (and search) alike. The comparison
therefore keeps one tone placement per spelling.
"""

from __future__ import annotations

import unicodedata

import pytest

from sotay_core.domain.text import collation_key
from sotay_desktop.services import demo_data as W

icu = pytest.importorskip("icu")

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _tone_position(word: str) -> tuple[str, int]:
    letters, position = [], -1
    for index, ch in enumerate(word.lower()):
        parts = unicodedata.normalize("NFD", ch)
        if any(p in TONES for p in parts):
            position = index
        letters.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES)))
    return "".join(letters), position


def test_same_order_as_icu_vi() -> None:
    words = {*W.GIVEN_MALE, *W.GIVEN_FEMALE, *W.MIDDLE_MALE, *W.MIDDLE_FEMALE,
             *(f for f, _ in W.FAMILY_NAMES),
             "anh", "ác", "ang", "ách", "ăn", "ân", "đá", "da", "dạ", "ơn", "ôm", "om", "ưa",
             "ua", "y", "xe", "ba", "bà", "bả", "bã", "bá", "bạ", "hoa", "hoà", "hoả", "hoã",
             "hoá", "hoạ", "Hoa", "HOA", "nghiêng", "người", "ngươi", "ngưỡng"}
    chosen: dict[str, int] = {}
    kept = []
    for word in sorted(words):
        letters, position = _tone_position(word)
        if position < 0 or chosen.setdefault(letters, position) == position:
            kept.append(word)
    collator = icu.Collator.createInstance(icu.Locale("vi_VN"))
    assert sorted(kept, key=collation_key) == sorted(kept, key=collator.getSortKey)
