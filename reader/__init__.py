"""Briefing Reader: read, search and annotate official documents offline."""

__version__ = "0.1.0"
"""The release version; a test holds it equal to ``pyproject.toml``'s."""
