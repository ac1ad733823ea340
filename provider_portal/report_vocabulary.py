"""The words a report may be written in: the report words' labels in every interface language.

`contracts.rules.report_words` holds each code's label once; the pages show it through the
catalogue, and a report file or JSON body is read with the same labels through every
catalogue (Danish: `aktiv`, `uddannelse`, `ydelse ophørt`, `Timer planlagt`, ...), whatever
the language of the page or call that sends it.
"""

from __future__ import annotations

from functools import cache

from babel.support import Translations
from flask import current_app
from flask_babel import get_babel

from contracts.rules.report_words import ReportWords
from contracts.rules.report_words import report_words as words_through

from .i18n import LANGUAGES


@cache
def _words(directories: tuple[str, ...]) -> ReportWords:
    catalogues = [
        Translations.load(directory, [language])
        for directory in directories
        for language in LANGUAGES
        if language != "en"  # English is the msgids themselves
    ]
    return words_through(catalogue.gettext for catalogue in catalogues)


def report_words() -> ReportWords:
    """The report words of the running app's catalogues, read once."""
    return _words(tuple(get_babel(current_app).translation_directories))
