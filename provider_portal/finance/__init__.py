"""finance pages."""

from . import invoices, postings, statements  # noqa: F401,E402  (the invoice desk, postings and statements register on the blueprint)
