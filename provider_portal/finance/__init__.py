"""finance pages."""

from . import invoices, statements  # noqa: F401,E402  (the invoice desk and statements register on the blueprint)
