"""Derived views of the model, pure functions of (corpus, now)."""
