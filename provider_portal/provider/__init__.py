"""provider pages."""

# The report, invoice and notice pages register their routes on the provider blueprint when imported.
from . import invoices, notices, report_files, reports, users  # noqa: F401,E402
