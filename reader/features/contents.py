"""Contents: the chapter tree follows the open document and moves the view when clicked."""

from __future__ import annotations

from reader.features.base import App


def connect(app: App) -> None:
    """The chapter tree follows the open document and moves the view when clicked."""
    panel = app.window.contents

    def opened(_doc: str) -> None:
        panel.model.set_document(app.session.document)
        panel.follow(app.window.view.position())

    app.session.document_opened.connect(opened)
    panel.block_requested.connect(lambda block: app.window.view.scroll_to_block(block))
