"""The `statusbook` command, one module per command group."""
