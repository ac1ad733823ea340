"""procurement pages."""
