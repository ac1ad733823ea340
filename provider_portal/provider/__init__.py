"""provider pages."""

# The report pages register their routes on the provider blueprint when imported.
from . import reports  # noqa: F401,E402
