"""Large type and high contrast: the application font, style and palette, from the settings;
and windows that never open larger than the screen."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

SCALES = (1.0, 1.5, 2.0)

PM = QtWidgets.QStyle.PixelMetric
PE = QtWidgets.QStyle.PrimitiveElement
# Check boxes and radio buttons grow with the type; Qt sizes them in pixels otherwise.
SCALED_METRICS = frozenset({PM.PM_IndicatorWidth, PM.PM_IndicatorHeight,
                            PM.PM_ExclusiveIndicatorWidth, PM.PM_ExclusiveIndicatorHeight})
INDICATORS = frozenset({PE.PE_IndicatorCheckBox, PE.PE_IndicatorRadioButton,
                        PE.PE_IndicatorItemViewItemCheck})

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


class ScaledStyle(QtWidgets.QProxyStyle):
    """The platform's style with check boxes and radio buttons scaled like the type, and in
    high contrast a white outline around them."""

    def __init__(self, base: QtWidgets.QStyle | None, scale: float) -> None:
        super().__init__(base)
        self.scale = scale
        self.high_contrast = False

    def pixelMetric(self, metric: QtWidgets.QStyle.PixelMetric,
                    option: QtWidgets.QStyleOption | None = None,
                    widget: QtWidgets.QWidget | None = None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric in SCALED_METRICS:
            return round(value * self.scale)
        return value

    def drawPrimitive(self, element: QtWidgets.QStyle.PrimitiveElement,
                      option: QtWidgets.QStyleOption, painter: QtGui.QPainter,
                      widget: QtWidgets.QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if self.high_contrast and element in INDICATORS:
            painter.save()
            pen = QtGui.QPen(QtGui.QColor(WHITE if option.state & QtWidgets.QStyle.StateFlag
                                          .State_Enabled else DISABLED))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            box = option.rect.adjusted(1, 1, -1, -1)
            if element == PE.PE_IndicatorRadioButton:
                painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
                painter.drawEllipse(box)
            else:
                painter.drawRect(box)
            painter.restore()


_style: list[ScaledStyle] = []   # the installed style (Qt owns it; keep Python's wrapper)
_base_style_name: list[str] = []


def type_scale(scale: float) -> float:
    return max(0.8, min(scale, 2.5))


def apply_ui_scale(app: QtWidgets.QApplication, scale: float, base_point_size: float) -> None:
    """Scale the application font (point sizes only, never pixels), and with it the style's
    check boxes and radio buttons."""
    factor = type_scale(scale)
    font = app.font()
    font.setPointSizeF(base_point_size * factor)
    app.setFont(font)
    if not _base_style_name:
        current = app.style()
        base = current.baseStyle() if isinstance(current, QtWidgets.QProxyStyle) else current
        _base_style_name.append(base.name())
    if _style and _style[0].scale == factor:
        return
    style = ScaledStyle(QtWidgets.QStyleFactory.create(_base_style_name[0]), factor)
    style.high_contrast = bool(_style and _style[0].high_contrast)
    _style[:] = [style]
    app.setStyle(style)


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
    for style in _style:
        style.high_contrast = high
    app.setStyleSheet(HIGH_CONTRAST_SHEET if high else "")
    app.setPalette(high_contrast_palette() if high else app.style().standardPalette())


# --- windows that fit the screen ----------------------------------------------------------


def available_geometry(widget: QtWidgets.QWidget) -> QtCore.QRect:
    """The part of the widget's screen windows may use (without the taskbar)."""
    screen = widget.screen() or QtGui.QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QtWidgets.QWidget) -> None:
    """Shrink a window to the available screen and move it fully onto it. Its content has
    scroll areas where needed, so nothing is lost by shrinking."""
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


WINDOW_TYPES = (QtCore.Qt.WindowType.Window, QtCore.Qt.WindowType.Dialog)  # not menus, tips


class FitToScreen(QtCore.QObject):
    """Application-wide: every window (ours and Qt's own dialogs) is fitted to the screen
    when it is shown, so no button of a dialog is ever off the screen."""

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (event.type() == QtCore.QEvent.Type.Show and isinstance(watched, QtWidgets.QWidget)
                and watched.windowType() in WINDOW_TYPES):
            fit_to_screen(watched)
        return False


_fitter: list[FitToScreen] = []


def install_fit_to_screen(app: QtWidgets.QApplication) -> None:
    if not _fitter:
        _fitter.append(FitToScreen(app))
        app.installEventFilter(_fitter[0])


def remove_fit_to_screen(app: QtWidgets.QApplication) -> None:
    while _fitter:
        app.removeEventFilter(_fitter.pop())


def scrolling(content: QtWidgets.QWidget, parent: QtWidgets.QWidget | None = None
              ) -> QtWidgets.QScrollArea:
    """``content`` in a frameless scroll area that follows its size: at large type a form
    taller or wider than the screen scrolls instead of pushing its buttons off the screen."""
    area = QtWidgets.QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
