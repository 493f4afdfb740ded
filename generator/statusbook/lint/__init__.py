"""The blameless-language lint."""
