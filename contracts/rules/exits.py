"""Why an enrolment ends (DESIGN.md §4, §6, §7): the exit reasons a report may give and the
three categories every figure, score and invoice counts them in.

The one home of these words: the models' checks, the report format, pricing (the outcome
bonus), the figures and the scores all take them from here.
"""

from __future__ import annotations

# The outcome the effort pays for: the bonus is paid for it and the outcome rate counts it.
POSITIVE_EXITS = ("job", "education")
BENEFIT_STOPPED_EXITS = ("benefit_stopped",)
OTHER_EXITS = ("imprisonment", "death", "moved", "other")
# Every exit reason a report may give, in the report format's order.
EXIT_REASONS = POSITIVE_EXITS + BENEFIT_STOPPED_EXITS + OTHER_EXITS
# A move to a successor contract ends an enrolment but is never an exit in any score.
TRANSFERRED = "transferred"
# An enrolment registered by mistake and ended for that reason: neither an exit nor a participant.
WITHDRAWN = "withdrawn"
# Why an enrolment may end: an exit, a transfer, or ended as registered by mistake (it then
# ends on its start day, and no report, figure, score or invoice counts it).
END_REASONS = EXIT_REASONS + (TRANSFERRED, WITHDRAWN)


def is_positive(reason: str | None) -> bool:
    """True for an exit to job or education."""
    return reason in POSITIVE_EXITS
