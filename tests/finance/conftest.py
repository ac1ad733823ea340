"""Finance tests: say at the end of the run when a validation layer could not be run."""

from tests.finance.documents import NOT_RUN


def pytest_terminal_summary(terminalreporter):
    for message in sorted(NOT_RUN):
        terminalreporter.write_line(f"WARNING: {message}", yellow=True, bold=True)


from tests.api.conftest import make_token  # noqa: E402,F401  (the API tests' token fixture)
