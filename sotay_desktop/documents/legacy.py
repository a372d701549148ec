"""Vietnamese text in the legacy 8-bit encodings, converted to Unicode (NFC).

* TCVN3 (ABC, TCVN 5712 VN3): one byte per letter; fonts ".VnTime", ".VnArial" …
  Capitals with tone marks have no codes of their own: the all-caps fonts
  (".VnTimeH", ".VnArialH" …) draw the lower-case codes as capitals, so a run in
  such a font is converted and then upper-cased. That is why DOCX text is
  converted run by run, by the run's font name.
* VNI-Windows ("VNI-Times" …): a base letter followed by a byte for the
  diacritic (a + ù = á), with single bytes for đ, ơ, ư and the toned i.

Python has neither codec, so the tables are built here from the letters'
composition, not typed out by hand.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sotay_core.domain.text import nfc

_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền sắc hỏi ngã nặng


def _toned(letter: str, tone_index: int) -> str:
    return unicodedata.normalize("NFC", letter + _TONES[tone_index])


# --- TCVN3 --------------------------------------------------------------------
# Codes for (huyền, sắc, hỏi, ngã, nặng) of each vowel, and the untoned letter.
_TCVN3_VOWELS = {
    "a": ("", "µ¸¶·¹"), "ă": ("¨", "»¾¼½Æ"), "â": ("©", "ÇÊÈÉË"),
    "e": ("", "ÌÐÎÏÑ"), "ê": ("ª", "ÒÕÓÔÖ"), "i": ("", "×ÝØÜÞ"),
    "o": ("", "ßãáâä"), "ô": ("«", "åèæçé"), "ơ": ("¬", "êíëìî"),
    "u": ("", "ïóñòô"), "ư": ("\u00ad", "õøö÷ù"), "y": ("", "úýûüþ"),
}
_TCVN3_CAPITALS = {"¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư"}


def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {ord("®"): "đ"}
    for letter, (plain, toned) in _TCVN3_VOWELS.items():
        if plain:
            table[ord(plain)] = letter
        for index, code in enumerate(toned):
            table[ord(code)] = _toned(letter, index)
    table.update({ord(code): letter for code, letter in _TCVN3_CAPITALS.items()})
    return table


TCVN3_TABLE = _tcvn3_table()


def tcvn3_to_unicode(text: str, *, capitals: bool = False) -> str:
    converted = text.translate(TCVN3_TABLE)
    return nfc(converted.upper() if capitals else converted)


# --- VNI-Windows ----------------------------------------------------------------
_VNI_TONE = "øùûõï"              # after a plain vowel (or ơ, ư, y)
_VNI_CIRCUMFLEX_TONE = "àáåãä"   # after a, e, o: circumflex plus tone
_VNI_BREVE_TONE = "èéúüë"        # after a: breve plus tone


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for upper in (False, True):
        def case(s: str, upper: bool = upper) -> str:
            return s.upper() if upper else s

        for base in "aeouy":
            for index, mark in enumerate(_VNI_TONE):
                table[case(base) + case(mark)] = case(_toned(base, index))
        for base, hatted in (("a", "â"), ("e", "ê"), ("o", "ô")):
            table[case(base) + case("â")] = case(hatted)
            for index, mark in enumerate(_VNI_CIRCUMFLEX_TONE):
                table[case(base) + case(mark)] = case(_toned(hatted, index))
        table[case("a") + case("ê")] = case("ă")
        for index, mark in enumerate(_VNI_BREVE_TONE):
            table[case("a") + case(mark)] = case(_toned("ă", index))
        for code, letter in (("ô", "ơ"), ("ö", "ư")):
            table[case(code)] = case(letter)
            for index, mark in enumerate(_VNI_TONE):
                table[case(code) + case(mark)] = case(_toned(letter, index))
        for code, index in zip("ìíæóò", range(5), strict=True):
            table[case(code)] = case(_toned("i", index))
        table[case("ñ")] = case("đ")
        table[case("î")] = case("ỵ")
        table.pop(case("y") + case("ï"), None)  # ỵ has its own code
    return table


VNI_TABLE = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))


def vni_to_unicode(text: str) -> str:
    return nfc(_VNI_PATTERN.sub(lambda m: VNI_TABLE[m.group(0)], text))


# --- recognising fonts and plain-text files ----------------------------------


def font_encoding(font_name: str | None) -> tuple[str, bool]:
    """("tcvn3" | "vni" | "", all capitals?) for a font name."""
    if not font_name:
        return "", False
    name = font_name.strip()
    if name.startswith(".Vn"):
        return "tcvn3", name.endswith("H")
    if name.upper().startswith("VNI"):
        return "vni", False
    return "", False


_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ") | {
    ch for ch in map(chr, range(0x1EA0, 0x1EFA))} | set("àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ")


def _score(text: str) -> float:
    """Share of letters that are distinctly Vietnamese, minus leftover Latin-1 symbols."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    vietnamese = sum(1 for ch in letters if ch in _VIETNAMESE)
    stray = sum(1 for ch in text if "\u00a0" <= ch <= "\u00ff" and ch not in _VIETNAMESE)
    return (vietnamese - 3 * stray) / len(letters)


_CP1258_TONES = frozenset(b"\xcc\xec\xde\xd2\xf2")   # grave, acute, tilde, hook, dot below
_CP1258_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def _plain_cp1258(data: bytes) -> bool:
    """Code page 1258 as Windows writes it: every tone byte is a combining mark that follows
    a vowel. TCVN3 and VNI bytes read this way leave marks after consonants or digits."""
    tones = sum(1 for b in data if b in _CP1258_TONES)
    if tones < 3:
        return False
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return False
    return all(i > 0 and text[i - 1] in _CP1258_VOWELS
               for i, ch in enumerate(text) if ch in "\u0300\u0301\u0303\u0309\u0323")


def decode_legacy_bytes(data: bytes) -> tuple[str, str]:
    """Text of a non-UTF-8 file: the reading among TCVN3, VNI, cp1258 that looks most Vietnamese.

    Returns (text, "tcvn3" | "vni" | "cp1258").
    """
    if _plain_cp1258(data):
        return nfc(data.decode("cp1258")), "cp1258"
    latin = data.decode("cp1252", errors="replace")
    candidates = {
        "tcvn3": tcvn3_to_unicode(data.decode("latin-1")),
        "vni": vni_to_unicode(latin),
        "cp1258": nfc(data.decode("cp1258", errors="replace")),
    }
    best = max(candidates, key=lambda name: _score(candidates[name]))
    return candidates[best], best


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(data: bytes) -> str:
    """A plain-text file as Vietnamese Windows and its programs save it: with a byte-order
    mark (Notepad's and Word's "Unicode" is UTF-16), UTF-8, or a legacy 8-bit encoding
    (``decode_legacy_bytes``); NFC."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return nfc(data.decode(codec, errors="replace"))
    try:
        return nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        return decode_legacy_bytes(data)[0]


def convert_docx_runs(document: Any) -> tuple[str, str]:
    """All paragraph text of a python-docx Document (tables included), run by run.

    Runs in TCVN3 or VNI fonts are converted; the second value names the legacy
    encoding met ("" when none).
    """
    default_font = _style_font(document.styles["Normal"]) if "Normal" in document.styles \
        else None
    found = ""
    lines: list[str] = []

    # python-docx finds a style by scanning every style, for each paragraph and run: the
    # font of each style id is looked up once (a 1 MB document took 15 s, now well under 1).
    paragraph_fonts: dict[Any, str | None] = {}
    run_fonts: dict[Any, str | None] = {}

    def paragraph_text(paragraph: Any) -> str:
        nonlocal found
        parts = []
        key = getattr(paragraph._p, "style", None)
        if key not in paragraph_fonts:
            paragraph_fonts[key] = _style_font(paragraph.style) or default_font
        style_font = paragraph_fonts[key]
        for run in paragraph.runs:
            font = run.font.name
            if not font:
                run_key = getattr(run._r, "style", None)
                if run_key not in run_fonts:
                    run_fonts[run_key] = _style_font(run.style)
                font = run_fonts[run_key] or style_font
            encoding, capitals = font_encoding(font)
            text = run.text
            if encoding == "tcvn3":
                text = tcvn3_to_unicode(text, capitals=capitals)
            elif encoding == "vni":
                text = vni_to_unicode(text)
            found = found or encoding
            parts.append(text)
        return "".join(parts)

    for paragraph in document.paragraphs:
        lines.append(paragraph_text(paragraph))
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                cells.append("\n".join(paragraph_text(p) for p in cell.paragraphs))
            lines.append("\t".join(cells))
    return "\n".join(lines), found


def _style_font(style: Any) -> str | None:
    while style is not None:
        name = style.font.name if style.font is not None else None
        if name:
            return str(name)
        style = style.base_style
    return None
