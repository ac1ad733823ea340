"""provider pages."""

# The report, invoice and notice pages register their routes on the provider blueprint when imported.
from . import (  # noqa: F401,E402
    contract_documents,
    invoices,
    milestones,
    notices,
    report_files,
    reports,
    users,
)
