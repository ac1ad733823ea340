"""finance pages."""

from . import invoices  # noqa: F401,E402  (the invoice desk registers on the blueprint)
