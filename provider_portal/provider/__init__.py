"""provider pages."""

# The report and invoice pages register their routes on the provider blueprint when imported.
from . import invoices, reports  # noqa: F401,E402
