"""Danish business identifiers: the CVR number (modulus 11) and the GLN/EAN location number
(13 digits, GS1 check digit), checked by the one rule every way in uses (registering or
changing a provider on a page or through the API, and the municipality's own numbers in the
configuration).

Values in, values out: each wrong length, character or check digit gets its own problem, in
words a person can act on (translated where they are shown).
"""

from __future__ import annotations

from stdnum import ean
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from .problems import N_, Problem

CVR_LENGTH = 8
GLN_LENGTH = 13


def compact_cvr(text: str) -> str:
    """A CVR number without spaces, dashes or a DK prefix."""
    return stdnum_cvr.compact(text)


def cvr_problem(text: str) -> Problem | None:
    """Why the text is not a valid CVR number, or None when it is one."""
    number = compact_cvr(text)
    try:
        stdnum_cvr.validate(number)
    except InvalidLength:
        return Problem(
            N_("A CVR number has %(expected)s digits; “%(number)s” has %(count)s."),
            {"expected": CVR_LENGTH, "number": number, "count": len(number)},
            field="cvr",
        )
    except InvalidFormat:
        if not number.isdigit():
            return Problem(
                N_("A CVR number has only digits; “%(number)s” has other characters."),
                {"number": number},
                field="cvr",
            )
        return Problem(N_("A CVR number never starts with 0."), field="cvr")
    except InvalidChecksum:
        return Problem(
            N_(
                "%(number)s is not a CVR number: the check digit does not match the other digits "
                "(modulus 11). Look for a typo."
            ),
            {"number": number},
            field="cvr",
        )
    return None


def compact_gln(text: str) -> str:
    """A GLN/EAN number without spaces or dashes."""
    return ean.compact(text)


def gln_problem(text: str) -> Problem | None:
    """Why the text is not a valid 13-digit GLN/EAN location number, or None when it is one."""
    number = compact_gln(text)
    if not number.isdigit():
        return Problem(
            N_("A GLN/EAN number has only digits; “%(number)s” has other characters."),
            {"number": number},
            field="gln",
        )
    if len(number) != GLN_LENGTH:
        return Problem(
            N_("A GLN/EAN number has %(expected)s digits; “%(number)s” has %(count)s."),
            {"expected": GLN_LENGTH, "number": number, "count": len(number)},
            field="gln",
        )
    try:
        ean.validate(number)
    except InvalidChecksum:
        return Problem(
            N_(
                "%(number)s is not a GLN/EAN number: the last digit is not the check digit of the "
                "others. Look for a typo."
            ),
            {"number": number},
            field="gln",
        )
    return None
