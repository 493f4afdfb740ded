"""Writing content files: new entries, updates, round-trip edits."""
