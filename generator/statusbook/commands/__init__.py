"""Command groups of the statusbook CLI, one module per group."""
