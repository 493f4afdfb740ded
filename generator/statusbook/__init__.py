"""Statusbook: status pages and postmortems from Markdown files in git."""

__version__ = "0.1.0"
