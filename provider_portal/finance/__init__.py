"""finance pages."""
