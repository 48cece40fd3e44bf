"""Errors the core reports to the user as one clear line."""

from __future__ import annotations


class ImportFailed(Exception):
    """A file could not be read as a document; the message names the file and why."""


class LibraryError(Exception):
    """The library folder cannot be used (not writable, a document is missing...)."""
