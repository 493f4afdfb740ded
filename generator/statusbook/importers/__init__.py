"""Importers from other status-page tools into Statusbook content files.

Each importer reads its source into a `common.Source` (components, groups and entries in
Statusbook's terms, plus what it skipped and what it could not map); `common.apply` merges that
into a site's content/ folder, idempotently, and returns a `common.Report`.

- `cstate`: a cState (Hugo) site: config systems/categories and content/issues/*.md.
- `statuspage`: a Statuspage v2 export: components.json, incidents.json and
  scheduled-maintenances.json.
"""

from __future__ import annotations

from .common import Report, Source, apply

__all__ = ["Report", "Source", "apply"]
