"""What a run keeps on disk for the next one: signed cache files, Jinja bytecode."""
