"""The hosts Statusbook runs in: the MkDocs plugin and its mkdocs.yml options."""
