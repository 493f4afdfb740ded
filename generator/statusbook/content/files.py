"""Where the content files are: one walk of a content folder, in a fixed order."""

from __future__ import annotations

import os
from collections.abc import Callable
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


def shown_from(root: Path) -> Callable[[str], str]:
    """How messages show paths: relative to the site root when inside it. One function per
    root, which the 30,000 paths of a 10,000-file run share."""
    prefix = os.path.join(str(root), "")
    cut = len(prefix)

    def shown(path: str) -> str:
        return (path[cut:] if path.startswith(prefix) else path).replace(os.sep, "/")

    return shown
