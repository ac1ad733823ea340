"""Score pages: outcome figures per scope and month, with trend charts."""
