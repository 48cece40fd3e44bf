"""Item delegate that draws a row's pre-escaped HTML (search snippets with highlighted hits).

Text marked ``<span class='num'>`` (paragraph numbers) is muted on plain rows
and drawn in the selection's text colour on a selected row, so it stays legible.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

TEXT_MARGIN = 4
"""Room the style keeps on each side of an item's text (measured and painted alike)."""


def muted(text: QColor, background: QColor) -> QColor:
    """A colour between ``text`` and ``background``, still readable on that background."""
    return QColor(
        (text.red() * 2 + background.red()) // 3,
        (text.green() * 2 + background.green()) // 3,
        (text.blue() * 2 + background.blue()) // 3,
    )


class HtmlDelegate(QStyledItemDelegate):
    """Renders the string under ``role`` as rich text; the model is responsible for escaping."""

    def __init__(self, role: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def _document(
        self,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        width: int,
        selected: bool = False,
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2.0)
        palette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        back_role = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        # A selection colour is itself only ~4:1 against its text: keep the number at full strength there.
        number = (
            palette.color(text_role)
            if selected
            else muted(palette.color(text_role), palette.color(back_role))
        )
        doc.setDefaultStyleSheet(f".num {{ color: {number.name()}; }}")
        doc.setHtml(str(index.data(self._role) or ""))
        doc.setTextWidth(max(width, 120))
        return doc

    @staticmethod
    def _text_width(option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> int:
        # sizeHint gets an empty rect: measure the width paint() will have, from the view and the depth.
        if option.rect.width() > 0:
            return option.rect.width() - 2 * TEXT_MARGIN
        widget = option.widget
        if widget is None:
            return 0
        width = widget.viewport().width() if isinstance(widget, QTreeView) else widget.width()
        if isinstance(widget, QTreeView):
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= widget.indentation() * (depth + (1 if widget.rootIsDecorated() else 0))
        return width - 2 * TEXT_MARGIN

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Draw the background/selection with the style, then the HTML on top."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_rect = opt.rect.adjusted(TEXT_MARGIN, 0, -TEXT_MARGIN, 0)
        doc = self._document(opt, index, text_rect.width(), selected)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(QRectF(0, 0, text_rect.width(), text_rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Height of the wrapped HTML at the view's width."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index, self._text_width(opt, index))
        return QSize(int(doc.idealWidth()) + 2 * TEXT_MARGIN, int(doc.size().height()) + 2)
