"""Where the content files are: one walk of a content folder, in a fixed order."""

from __future__ import annotations

import os
from pathlib import Path


def walk(folder: Path) -> tuple[list[str], list[str]]:
    """The Markdown files and the other files under `folder` (paths as text, sorted), leaving
    out hidden files and folders. Text paths, not Path objects: at 10,000 files pathlib's
    parsing and comparisons cost more than reading the files."""
    markdown: list[str] = []
    other: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                (markdown if name.endswith(".md") else other).append(os.path.join(dirpath, name))
    markdown.sort()
    other.sort()
    return markdown, other


def displayed(path: str, root: Path) -> str:
    """A path as messages show it: relative to the site root when it is inside it."""
    prefix = os.path.join(str(root), "")
    shown = path[len(prefix) :] if path.startswith(prefix) else path
    return shown.replace(os.sep, "/")
