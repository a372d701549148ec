"""Large type and high contrast: the application font, style sheet and palette, from the
settings; and windows that never open larger than the screen."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

SCALES = (1.0, 1.5, 2.0)

# High contrast follows Windows' "High Contrast Black": white on black, yellow for selection
# and links, and green for what is disabled (its GrayText), so no text is ever pale grey.
BLACK, WHITE, YELLOW = "#000000", "#ffffff", "#ffff00"
DISABLED = "#3ff23f"
PLACEHOLDER = "#1aebff"

# Every input, button and tab gets a visible border (the default styles draw their frames
# darker than the window: black on black).
HIGH_CONTRAST_SHEET = f"""
QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QAbstractItemView {{
    border: 2px solid {WHITE};
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus,
QComboBox:focus, QAbstractItemView:focus {{
    border: 2px solid {YELLOW};
}}
QLineEdit:disabled, QPlainTextEdit:disabled, QTextEdit:disabled, QAbstractSpinBox:disabled,
QComboBox:disabled, QAbstractItemView:disabled {{
    border: 2px dashed {DISABLED};
}}
QPushButton, QToolButton {{
    border: 2px solid {WHITE}; background: {BLACK}; color: {WHITE}; padding: 0.2em 0.6em;
}}
QPushButton:focus, QToolButton:focus {{ border: 2px solid {YELLOW}; }}
QPushButton:pressed, QToolButton:pressed, QToolButton:checked {{
    background: {YELLOW}; color: {BLACK};
}}
QPushButton:disabled, QToolButton:disabled {{ border: 2px dashed {DISABLED}; color: {DISABLED}; }}
QTabBar::tab {{ border: 2px solid {WHITE}; padding: 0.2em 0.6em; }}
QTabBar::tab:selected {{ background: {YELLOW}; color: {BLACK}; }}
QHeaderView::section {{
    border: 1px solid {WHITE}; background: {BLACK}; color: {WHITE}; padding: 0.1em 0.3em;
}}
QGroupBox {{ border: 2px solid {WHITE}; margin-top: 1.4em; padding-top: 0.4em; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 0.5em; }}
"""


def type_scale(scale: float) -> float:
    return max(0.8, min(scale, 2.5))


_state = {"scale": 1.0, "high": False}
_base_indicator: list[int] = []


def indicator_sheet(app: QtWidgets.QApplication, scale: float) -> str:
    """Check boxes and radio buttons as large as the type: the style's own size times the
    scale. Done in the style sheet, not a QProxyStyle: with PySide6 6.12 a Python override
    of pixelMetric(), called with null arguments thousands of times a second, upsets the
    reference count of None until the interpreter aborts."""
    if not _base_indicator:   # the style's own sizes, read before any style sheet applies
        metric = QtWidgets.QStyle.PixelMetric
        _base_indicator.extend(app.style().pixelMetric(m) for m in (
            metric.PM_IndicatorWidth, metric.PM_ExclusiveIndicatorWidth))
    box, dot = (round(size * scale) for size in _base_indicator)
    return (f"QCheckBox::indicator, QAbstractItemView::indicator, QGroupBox::indicator "
            f"{{ width: {box}px; height: {box}px; }}\n"
            f"QRadioButton::indicator {{ width: {dot}px; height: {dot}px; }}\n")


def high_contrast_indicators(scale: float) -> str:
    radius = round(7 * scale)
    return f"""
QCheckBox::indicator, QAbstractItemView::indicator, QGroupBox::indicator {{
    border: 2px solid {WHITE}; background: {BLACK};
}}
QRadioButton::indicator {{ border: 2px solid {WHITE}; border-radius: {radius}px;
    background: {BLACK}; }}
QCheckBox::indicator:checked, QAbstractItemView::indicator:checked,
QGroupBox::indicator:checked, QRadioButton::indicator:checked {{ background: {YELLOW}; }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{
    border: 2px dashed {DISABLED}; }}
"""


def _apply_sheet(app: QtWidgets.QApplication) -> None:
    """No style sheet at all at normal type and contrast (the sheet costs some painting time)."""
    scale, high = float(_state["scale"]), bool(_state["high"])
    sheet = indicator_sheet(app, scale) if scale != 1.0 or high else ""
    if high:
        sheet += HIGH_CONTRAST_SHEET + high_contrast_indicators(scale)
    if sheet != app.styleSheet():
        app.setStyleSheet(sheet)


def apply_ui_scale(app: QtWidgets.QApplication, scale: float, base_point_size: float) -> None:
    """Scale the application font (point sizes only, never pixels), and with it the check
    boxes and radio buttons."""
    factor = type_scale(scale)
    font = app.font()
    font.setPointSizeF(base_point_size * factor)
    app.setFont(font)
    _state["scale"] = factor
    _apply_sheet(app)


def high_contrast_palette() -> QtGui.QPalette:
    """White on black, yellow selection and links: for weak eyes and a dim village hall.
    Frames (light, mid, dark, shadow) are white too, so the style's own lines show."""
    palette = QtGui.QPalette()
    black, white, yellow = QtGui.QColor(BLACK), QtGui.QColor(WHITE), QtGui.QColor(YELLOW)
    role = QtGui.QPalette.ColorRole
    group = QtGui.QPalette.ColorGroup
    for r in (role.Window, role.Base, role.AlternateBase, role.Button, role.ToolTipBase):
        palette.setColor(r, black)
    for r in (role.WindowText, role.Text, role.ButtonText, role.ToolTipText, role.BrightText,
              role.Light, role.Midlight, role.Mid, role.Dark, role.Shadow):
        palette.setColor(r, white)
    palette.setColor(role.Highlight, yellow)
    palette.setColor(role.HighlightedText, black)
    palette.setColor(role.Link, yellow)
    palette.setColor(role.LinkVisited, yellow)
    palette.setColor(role.PlaceholderText, QtGui.QColor(PLACEHOLDER))
    for r in (role.WindowText, role.Text, role.ButtonText, role.Light, role.Mid, role.Dark):
        palette.setColor(group.Disabled, r, QtGui.QColor(DISABLED))
    palette.setColor(group.Disabled, role.Highlight, black)
    return palette


def apply_contrast(app: QtWidgets.QApplication, high: bool) -> None:
    _state["high"] = high
    _apply_sheet(app)
    app.setPalette(high_contrast_palette() if high else app.style().standardPalette())


# --- windows that fit the screen ----------------------------------------------------------


def available_geometry(widget: QtWidgets.QWidget) -> QtCore.QRect:
    """The part of the widget's screen windows may use (without the taskbar)."""
    screen = widget.screen() or QtGui.QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QtWidgets.QWidget) -> None:
    """Shrink a shown window to the available screen and move it fully onto it (the frame
    included). Its content has scroll areas where needed, so nothing is lost by shrinking.
    (Called where windows are shown; not an application-wide event filter: with PySide6 6.12
    a Python eventFilter on the application upsets the reference count of None until the
    interpreter aborts.)"""
    area = available_geometry(window)
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.left()), max(area.left(), area.right() + 1 - frame.width()))
    y = min(max(frame.y(), area.top()), max(area.top(), area.bottom() + 1 - frame.height()))
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def resize_within_screen(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """``window.resize(width, height)``, but never larger than the screen in use."""
    area = available_geometry(window)
    window.resize(min(width, area.width()), min(height, area.height()))


def scrolling(content: QtWidgets.QWidget, parent: QtWidgets.QWidget | None = None
              ) -> QtWidgets.QScrollArea:
    """``content`` in a frameless scroll area that follows its size: at large type a form
    taller or wider than the screen scrolls instead of pushing its buttons off the screen."""
    area = QtWidgets.QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
