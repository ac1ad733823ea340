"""home pages."""
