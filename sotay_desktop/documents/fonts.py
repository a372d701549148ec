"""Registering the bundled TTFs with reportlab (the base-14 fonts cannot draw Vietnamese)."""

from __future__ import annotations

from sotay_desktop.resources import font_path

SERIF = "SotaySerif"
SANS = "SotaySans"


def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if SERIF in pdfmetrics.getRegisteredFontNames():
        return
    faces = {
        SERIF: "serif", f"{SERIF}-Bold": "serif-bold", f"{SERIF}-Italic": "serif-italic",
        f"{SERIF}-BoldItalic": "serif-bold-italic", SANS: "sans", f"{SANS}-Bold": "sans-bold",
    }
    for name, key in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(key))))
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, f"{SERIF}-Bold")
    addMapping(SERIF, 0, 1, f"{SERIF}-Italic")
    addMapping(SERIF, 1, 1, f"{SERIF}-BoldItalic")
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, f"{SANS}-Bold")
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, f"{SANS}-Bold")
