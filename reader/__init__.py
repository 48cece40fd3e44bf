"""Briefing Reader: read, search and annotate official documents offline."""
