"""The `statusbook` command, one module per command (main.py lists them)."""
