"""Reading and checking content/: files, frontmatter, schema, validation, the loader."""
