"""Large type and high contrast: the application font and palette, from the settings."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

SCALES = (1.0, 1.5, 2.0)


def apply_ui_scale(app: QtWidgets.QApplication, scale: float, base_point_size: float) -> None:
    """Scale the application font (point sizes only, never pixels)."""
    font = app.font()
    font.setPointSizeF(base_point_size * max(0.8, min(scale, 2.5)))
    app.setFont(font)


def high_contrast_palette() -> QtGui.QPalette:
    """White on black, yellow selection and links: for weak eyes and a dim village hall."""
    palette = QtGui.QPalette()
    black, white, yellow = QtGui.QColor("#000000"), QtGui.QColor("#ffffff"), \
        QtGui.QColor("#ffff00")
    role = QtGui.QPalette.ColorRole
    for r in (role.Window, role.Base, role.AlternateBase, role.Button, role.ToolTipBase):
        palette.setColor(r, black)
    for r in (role.WindowText, role.Text, role.ButtonText, role.ToolTipText, role.BrightText):
        palette.setColor(r, white)
    palette.setColor(role.Highlight, yellow)
    palette.setColor(role.HighlightedText, black)
    palette.setColor(role.Link, yellow)
    palette.setColor(role.PlaceholderText, QtGui.QColor("#c0c0c0"))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, role.Text, QtGui.QColor("#909090"))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, role.ButtonText,
                     QtGui.QColor("#909090"))
    return palette


def apply_contrast(app: QtWidgets.QApplication, high: bool) -> None:
    app.setPalette(high_contrast_palette() if high else app.style().standardPalette())
