"""Where the running Statusbook came from, as the requirement line `statusbook init` writes.

A generated site's CI installs Statusbook with Pages write access, an OIDC token and the
webhook secrets in reach, so its requirements.txt must resolve only to the code the user
chose: the exact commit, archive or published version they installed, never a bare name
(whoever registers that name on an index would run code in every site's deploy).

The source is PEP 610's `direct_url.json`, which pip writes beside the metadata of anything
installed from a URL, a local folder or a VCS; a distribution without it came from an index.
https://packaging.python.org/en/latest/specifications/direct-url-data-structure/
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

NAME = "statusbook"


class Distribution(Protocol):
    """What we read of an installed distribution (importlib.metadata.Distribution has it)."""

    @property
    def version(self) -> str: ...

    def read_text(self, filename: str) -> str | None: ...


@dataclass(frozen=True)
class Requirement:
    """The text of requirements.txt, and a warning when CI cannot install from it."""

    text: str
    warning: str = ""


def installed() -> Distribution | None:
    """The running Statusbook's distribution, or None when it runs from a source tree."""
    from importlib import metadata

    try:
        return metadata.distribution(NAME)
    except metadata.PackageNotFoundError:
        return None


def requirement(dist: Distribution | None) -> Requirement:
    """The requirements.txt for a site built with `dist` (see the module docstring)."""
    if dist is None:
        return _unpinnable("this Statusbook is not an installed distribution")
    raw = dist.read_text("direct_url.json")
    if raw is None:
        # From an index: only this exact version, never a newer one someone else uploads.
        return Requirement(_HEADER + f"{NAME}=={dist.version}\n")
    try:
        direct = json.loads(raw)
        url = str(direct["url"])
    except (ValueError, KeyError, TypeError):
        return _unpinnable("its direct_url.json cannot be read")
    if urlsplit(url).scheme not in ("https", "http"):
        return _unpinnable(f"it was installed from {url}, which CI cannot reach")
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") != "git" or not commit:
            return _unpinnable(f"it was installed from {url} with no git commit recorded")
        return Requirement(_HEADER + f"{NAME} @ git+{url}@{commit}\n")
    archive = direct.get("archive_info")
    if isinstance(archive, dict):
        hashes = archive.get("hashes") or {}
        if "sha256" in hashes:
            url = f"{url.split('#', 1)[0]}#sha256={hashes['sha256']}"
        elif "hash" in archive:  # the older, deprecated single-hash field
            url = f"{url.split('#', 1)[0]}#{archive['hash'].replace(':', '=', 1)}"
        return Requirement(_HEADER + f"{NAME} @ {url}\n")
    return _unpinnable(f"it was installed from {url}, which is not an archive or a git commit")


_HEADER = (
    "# What CI installs to build this site: exactly the Statusbook `statusbook init` ran as\n"
    "# (a commit, an archive with its hash, or an exact version), never a bare name.\n"
)


def _unpinnable(why: str) -> Requirement:
    text = (
        "# What CI installs to build this site. `statusbook init` could not tell where this\n"
        "# Statusbook came from in a form CI can install:\n"
        f"#   {why}.\n"
        "# Replace this comment with one line naming the exact Statusbook to install, e.g.\n"
        "#   statusbook @ git+https://github.com/OWNER/statusbook@<40-hex commit>\n"
        "# Never write a bare `statusbook` or `statusbook>=...`: whoever registers that name on\n"
        "# PyPI would run code in your deploy, with write access to your Pages site.\n"
    )
    warning = (
        f"names no Statusbook that CI can install: {why} "
        "(hint: put `statusbook @ git+https://.../statusbook@<commit>` in it before pushing)"
    )
    return Requirement(text, warning)
