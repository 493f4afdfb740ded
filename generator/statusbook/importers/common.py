"""What every importer shares: the entry model, a careful YAML writer, merging components.yml,
stable ids, validation before anything is written, and the report.

An importer turns its source into a `Source` (Statusbook terms, provisional component ids);
`apply` does the rest:

1. merge the source's components into content/components.yml (existing entries are never
   silently changed: a difference is a conflict unless `overwrite`);
2. give every entry a file: the one imported from the same source entry before (found by the
   `# statusbook import KIND: KEY` comment in its frontmatter), else a new
   `<folder>/YYYY/YYYY-MM-DD-<slug>.md` with an id unique in the site;
3. render each file, check that the YAML reads back to exactly the values meant, and validate
   the whole site with the new files in a scratch copy, dropping entries that do not validate;
4. write what changed (nothing, on a second run) and report.

The parts live in source.py (the model and helpers), writer.py (YAML and files), merge.py
(components.yml) and apply.py; this module gathers their names for the importers.
"""

from __future__ import annotations

from .apply import Validator, apply  # noqa: F401 - re-exported
from .merge import COMPONENTS_HEADER, merge_components, render_components  # noqa: F401 - re-exported
from .source import (  # noqa: F401 - re-exported
    CLOSING_MESSAGE,
    COMPONENTS_FILE,
    DESCRIPTION_MAX,
    EMPTY_MESSAGE,
    FOLDERS,
    MARKER_RE,
    MAX_SLUG,
    NAME_MAX,
    TITLE_MAX,
    ComponentSpec,
    Entry,
    GroupSpec,
    ImportFailure,
    Report,
    Skip,
    Source,
    Update,
    fit,
    iso,
    normalize_text,
    one_line,
    parse_time,
    slugify,
    unique,
)
from .writer import (  # noqa: F401 - re-exported
    BLOCK_KEYS,
    Fields,
    Raw,
    double_quoted,
    emit,
    entry_fields,
    inline,
    markdown_file,
    plain_values,
    reads_back,
    render_entry,
)
