"""Numbers as people type them into the portal's forms: the Danish way first (4.500,50), the
point as a decimal mark too (4500.50), and never a reading that could be the wrong one.

Only digits, one decimal mark and thousands separators in groups of three are read; what
Python's Decimal also takes (`Infinity`, `NaN`, `1e5`, `1_000`) is no number here.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Spaces people put between thousands (also the no-break ones a copied amount carries).
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_BODY = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_MINUS = ("-", "\u2212")


class NotANumber(ValueError):
    """Why a text is no number: `kind` is "shape" or "ambiguous"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _grouped(integer: str, mark: str) -> bool:
    """Whole thousands written 1.250.000 (mark "."): a first group of 1-3 digits, then threes."""
    groups = integer.split(mark)
    return (
        len(groups) > 1
        and 1 <= len(groups[0]) <= 3
        and not (groups[0] == "0")
        and all(len(g) == 3 for g in groups[1:])
    )


def read_number(text: str, units: tuple[str, ...] = ()) -> Decimal:
    """The number `text` writes, exactly; raises NotANumber.

    Read: 4.500,50 · 4500,50 · 4500.50 · 1.250.000,00 · 1,250,000.00 · 4 500 · -12,5, and a
    trailing unit from `units` (such as "kr." or "%"). When both marks appear, the last one is
    the decimal mark. A single mark followed by exactly three digits after one to three digits
    (4.500, 4,500) is refused as ambiguous: a Dane means four thousand five hundred, a browser
    set to English (and much software) four and a half, and a bid a thousand times too large or
    too small is worse than being asked to write it again.
    """
    plain = _SPACES.sub("", text or "")
    for unit in sorted(units, key=len, reverse=True):
        if plain.lower().endswith(unit.lower()):
            plain = plain[: -len(unit)]
            break
    negative = plain[:1] in _MINUS
    body = plain[1:] if negative else plain
    if not body.isascii() or not _BODY.fullmatch(body):
        raise NotANumber("shape")
    points, commas = body.count("."), body.count(",")
    if points and commas:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        integer, _, fraction = body.rpartition(decimal_mark)
        if decimal_mark in integer or not _grouped(integer, group_mark):
            raise NotANumber("shape")
    elif points + commas > 1:
        mark = "." if points else ","
        if not _grouped(body, mark):
            raise NotANumber("shape")
        integer, fraction = body.replace(mark, ""), ""
    elif points + commas == 1:
        integer, _, fraction = body.partition("." if points else ",")
        if len(fraction) == 3 and 1 <= len(integer) <= 3 and integer != "0":
            raise NotANumber("ambiguous")
    else:
        integer, fraction = body, ""
    digits = integer.replace(".", "").replace(",", "")
    value = Decimal(f"{digits}.{fraction}" if fraction else digits)
    return -value if negative else value


def ambiguous_readings(text: str) -> tuple[Decimal, Decimal]:
    """The two numbers an ambiguous text (4.500) may mean: (4500, 4.5)."""
    plain = _SPACES.sub("", text or "").lstrip("".join(_MINUS))
    integer, fraction = re.split(r"[.,]", plain, maxsplit=1)
    fraction = fraction[:3]
    return Decimal(integer + fraction), Decimal(f"{integer}.{fraction}").normalize()
