"""CPR numbers: validated on entry, turned into a keyed pseudonym, never kept.

The modulus-11 check is not applied: it stopped holding for numbers issued since 2007.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from .problems import N_


class InvalidCPR(ValueError):
    """The text is not a CPR number; `template` says why (never repeating the number)."""

    def __init__(self, template: str):
        super().__init__(template)
        self.template = template


# stdnum's kind of error → why, in words a caseworker acts on.
_WHY = (
    (InvalidLength, N_("not a valid CPR number: it has 10 digits (DDMMYY-XXXX)")),
    (InvalidFormat, N_("not a valid CPR number: it has only digits (DDMMYY-XXXX)")),
    (
        InvalidComponent,
        N_("not a valid CPR number: the first six digits are not a birth date (DDMMYY)"),
    ),
)


def parse_cpr(text: str) -> tuple[str, date]:
    """Validate a CPR number (format and birth date) and return it compact with the birth date."""
    try:
        compact = stdnum_cpr.validate(text)
        born = stdnum_cpr.get_birth_date(compact)
    except ValidationError as error:
        why = next((template for kind, template in _WHY if isinstance(error, kind)), None)
        raise InvalidCPR(why or N_("not a valid CPR number")) from None
    except Exception:
        raise InvalidCPR(N_("not a valid CPR number")) from None
    return compact, born


def pseudonym(compact_cpr: str, key: bytes) -> str:
    """The keyed pseudonym (HMAC-SHA256, hex) that recognises the same citizen later."""
    return hmac.new(key, compact_cpr.encode("ascii"), hashlib.sha256).hexdigest()


def age_on(born: date, day: date) -> int:
    """Age in whole years on a day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
