"""The static JSON API: Statuspage-compatible documents (`api/v2/...`, statuspage.py) and
Statusbook's own richer document (`api/statusbook/v1/`, statusbook.py, its schema in schema.py).

Only `view.corpus` is read: it has already been filtered for visibility. The modules below
share serialise.py (ids, times, JSON), timeline.py (each entry's published updates) and
context.py (the corpus at one moment, which notify also uses for its webhook payloads).
"""

from __future__ import annotations

from ...views.site import SiteView
from .context import Context
from .schema import SCHEMA
from .serialise import OWN, dumps
from .statusbook import statusbook_document
from .statuspage import statuspage_documents


def files(view: SiteView) -> dict[str, bytes]:
    """Every API file, by path relative to the site root."""
    ctx = Context.of(view)
    out = {path: dumps(doc) for path, doc in statuspage_documents(ctx).items()}
    out[f"{OWN}status.json"] = dumps(statusbook_document(view, ctx))
    out[f"{OWN}schema.json"] = dumps(SCHEMA, pretty=True)
    return out
