"""What `statusbook serve` shows while the content has errors: the last good version, with
the errors at the top of every page, so a writer sees them where they look."""

from __future__ import annotations

import html

from ..errors import Finding, format_findings, summary_line
from ..model import Corpus
from . import material

#: What `serve` shows when the content has never validated since it started.
EMPTY_CORPUS = Corpus(groups=(), components=(), incidents=(), maintenance=(), postmortems=())


def problems_banner(page: str, problems: list[Finding], last_good: bool = True) -> str:
    """The page with the content's errors at the top of its body: `serve` only (it has no
    Content-Security-Policy, so the banner styles itself)."""
    found = html.escape(format_findings(problems))
    banner = (
        '<div role="alert" id="statusbook-problems" style="margin:0;padding:1rem 1.5rem;'
        "background:#fff3f3;color:#5c0000;border-bottom:4px solid #c00;font:0.9rem/1.4 "
        'system-ui,sans-serif;position:relative;z-index:10">'
        f"<strong>The content has {html.escape(summary_line(problems))}.</strong> "
        + (
            "This preview shows the last version that had none"
            if last_good
            else "Nothing of it can be shown until they are fixed"
        )
        + "; the page reloads when the files are saved."
        '<pre style="margin:0.75rem 0 0;white-space:pre-wrap;font:0.8rem/1.4 ui-monospace,'
        f'monospace;color:inherit;background:none">{found}</pre></div>'
    )
    return material.insert_after_body_start(page, banner)
