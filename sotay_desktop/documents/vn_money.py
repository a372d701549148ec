"""Money as the Party's papers write it: figures with dots ("1.234.567 đ") and in words
("Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng").

Reading rules (standard Vietnamese, as on receipts and invoices):

- numbers are read in groups of three digits: nghìn, triệu, tỷ, then "nghìn tỷ"…;
- a group after the first is read in full: "không trăm" when its hundreds are 0
  (1.050.000: "một triệu không trăm năm mươi nghìn"); a group of three zeros is skipped;
- tens 0 with a unit after a hundred: "linh" (northern; "lẻ" in the south, by choice);
- 10–19: "mười", "mười một", "mười lăm"; from 20: "hai mươi", "hai mươi mốt" (1 → mốt),
  "hai mươi lăm" (5 → lăm), "hai mươi bốn"; "mười một" never "mười mốt".
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")
BILLION = 1_000_000_000


def vnd(amount: int) -> str:
    """1234567 -> "1.234.567" (dots between thousands, as written in Vietnam)."""
    return f"{amount:,}".replace(",", ".")


def vnd_d(amount: int) -> str:
    """1234567 -> "1.234.567 đ"."""
    return f"{vnd(amount)} đ"


def _units(tens: int, unit: int) -> str:
    if unit == 0:
        return ""
    if unit == 1 and tens >= 2:
        return "mốt"
    if unit == 5 and tens >= 1:
        return "lăm"
    return DIGITS[unit]


def _group(number: int, *, full: bool, odd: str) -> list[str]:
    """Words for 0–999; ``full``: a group after the first (hundreds always read)."""
    hundreds, tens, unit = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if unit and words:
            words.append(odd)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if unit:
        words.append(_units(tens, unit))
    return words


def _below_billion(number: int, *, leading: bool, odd: str) -> list[str]:
    groups = [number // 1_000_000, number // 1_000 % 1_000, number % 1_000]
    words: list[str] = []
    for index, value in enumerate(groups):
        if value == 0:
            continue
        words += _group(value, full=bool(words) or not leading, odd=odd)
        name = GROUPS[len(groups) - 1 - index]
        if name:
            words.append(name)
    return words


def _words(number: int, *, leading: bool, odd: str) -> list[str]:
    if number >= BILLION:
        high, low = divmod(number, BILLION)
        words = [*_words(high, leading=leading, odd=odd), "tỷ"]
        if low:
            words += _below_billion(low, leading=False, odd=odd)
        return words
    return _below_billion(number, leading=leading, odd=odd)


def number_in_words(number: int, *, odd: str = "linh") -> str:
    """0 -> "không", 105 -> "một trăm linh năm" (``odd="lẻ"``: "một trăm lẻ năm")."""
    if number < 0:
        raise ValueError(f"no words for a negative amount: {number}")
    if number == 0:
        return DIGITS[0]
    return " ".join(_words(number, leading=True, odd=odd))


def amount_in_words(amount: int, *, odd: str = "linh") -> str:
    """25000 -> "Hai mươi lăm nghìn đồng" (capitalised, ending in "đồng")."""
    text = f"{number_in_words(amount, odd=odd)} đồng"
    return text[0].upper() + text[1:]
