"""The words of a monthly report (DESIGN.md §4): its column names, statuses and exit reasons.

The one home of these words. The pages show a code by its label here (through the catalogue,
so in the page's language), the templates to download are headed by the same labels, and the
report reader accepts a code, its §4 alias, its English label and the label in every language
of the catalogue, case-insensitively and with æ/ø/å also spelled ae/oe/aa. So what the pages
show a provider is what the provider may write back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .exits import EXIT_REASONS
from .problems import N_, Choices

COLUMNS = (
    "participant_ref",
    "hours_planned",
    "hours_delivered",
    "absence_hours",
    "status",
    "exit_date",
    "exit_reason",
)
# A follow-up line's columns (a milestone claimed for a participant who left earlier): optional,
# and not in the month's template.
FOLLOW_UP_COLUMNS = ("milestone", "employer", "started_on", "weekly_hours")
ALL_COLUMNS = COLUMNS + FOLLOW_UP_COLUMNS
# The column names people see, in the report's own order.
COLUMN_LABELS = {
    "participant_ref": N_("Participant"),
    "hours_planned": N_("Hours planned"),
    "hours_delivered": N_("Hours delivered"),
    "absence_hours": N_("Absence (hours)"),
    "status": N_("Status"),
    "exit_date": N_("Exit date"),
    "exit_reason": N_("Exit reason"),
    "milestone": N_("Milestone"),
    "employer": N_("Employer"),
    "started_on": N_("Start date"),
    "weekly_hours": N_("Weekly hours"),
}
# §4's Danish column names, as providers' systems write them.
COLUMN_ALIASES = {
    "deltager": "participant_ref",
    "timer_planlagt": "hours_planned",
    "timer_leveret": "hours_delivered",
    "fravær_timer": "absence_hours",
    "afgangsdato": "exit_date",
    "afgangsårsag": "exit_reason",
    "milepæl": "milestone",
    "arbejdsgiver": "employer",
    "startdato": "started_on",
    "ugetimer": "weekly_hours",
}
STATUS_LABELS = {"active": N_("Active"), "exited": N_("Exited"), "follow_up": N_("Follow-up")}
# §4's Danish status words.
STATUS_ALIASES = {"aktiv": "active", "afgået": "exited", "opfølgning": "follow_up"}
FOLLOW_UP = "follow_up"
# The milestones a follow-up line claims, as the pages name them.
MILESTONE_LABELS = {"week13": N_("13 weeks"), "week26": N_("26 weeks")}
# Every way an enrolment ends, as the pages name it; a report may give only the exit reasons.
END_REASON_LABELS = {
    "job": N_("Job"),
    "education": N_("Education"),
    "benefit_stopped": N_("Benefit stopped"),
    "imprisonment": N_("Imprisonment"),
    "death": N_("Death"),
    "moved": N_("Moved"),
    "other": N_("Other reason"),
    "transferred": N_("Moved to the successor contract"),
    "withdrawn": N_("Registered by mistake"),
}
EXIT_REASON_LABELS = {code: END_REASON_LABELS[code] for code in EXIT_REASONS}
# What a refusal lists as the exit reasons one may write.
EXIT_REASON_CHOICES = Choices(EXIT_REASON_LABELS)

_NOT_A_LETTER = re.compile(r"[^0-9a-z]+")


def fold(word: str) -> str:
    """A word compared as people write it: case, spaces, punctuation and æ/ø/å as ae/oe/aa
    make no difference ("Fravær (timer)", "fravaer_timer" and "FRAVÆR TIMER" are one)."""
    word = word.strip().lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return _NOT_A_LETTER.sub("_", word).strip("_")


@dataclass(frozen=True)
class ReportWords:
    """The words a report is read with, folded: each to its column, status or exit reason."""

    columns: dict[str, str]
    statuses: dict[str, str]
    reasons: dict[str, str]
    milestones: dict[str, str]

    def column(self, name: str) -> str:
        """The column a header names; the folded name itself when it names none."""
        return self.columns.get(fold(name), fold(name))


def _words(
    labels: dict[str, str], aliases: dict[str, str], languages: list[Callable[[str], str]]
) -> dict[str, str]:
    words = {fold(code): code for code in labels}
    words.update({fold(alias): code for alias, code in aliases.items()})
    for code, label in labels.items():
        words[fold(label)] = code
        for translate in languages:
            words.setdefault(fold(translate(label)), code)
    return words


def report_words(translations: Iterable[Callable[[str], str]] = ()) -> ReportWords:
    """The words a report may use: the codes, §4's aliases, the English labels, and the labels
    through each of `translations` (a catalogue's gettext: the labels in that language)."""
    languages = list(translations)
    return ReportWords(
        columns=_words(COLUMN_LABELS, COLUMN_ALIASES, languages),
        statuses=_words(STATUS_LABELS, STATUS_ALIASES, languages),
        reasons=_words(EXIT_REASON_LABELS, {}, languages),
        milestones=_words(MILESTONE_LABELS, {}, languages),
    )


# The words without any catalogue: codes, aliases and English labels.
ENGLISH = report_words()
