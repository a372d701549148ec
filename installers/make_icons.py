"""Render resources/icons/sotay.svg to the PNG and ICO the installers need (Qt's SVG and ICO
plugins, so no extra tool is required)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(size: int) -> QtGui.QImage:
    image = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(image)
    QtSvg.QSvgRenderer(str(ICONS / "sotay.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    ok = render(256).save(str(ICONS / "sotay.png"))
    ok = render(256).save(str(ICONS / "sotay.ico"), "ICO") and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
