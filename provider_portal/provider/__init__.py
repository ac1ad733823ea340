"""provider pages."""
