"""The services' refusals in the user's language, next to the field they concern.

The domain speaks plain English with the values filled in ("a CVR number has 8 digits;
'1234' has 4"). Each known sentence is matched here and said again through gettext with the
same values, so the rule that decides stays in `contracts/` and only the words are
translated. An unknown sentence is shown as the service wrote it rather than hidden.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import get_locale, gettext

from ..formatting import day


def N_(text: str) -> str:
    """Mark a message for translation without translating it yet."""
    return text


_QUOTED = r"""['"](?P<number>.*)['"]"""

# (the service's sentence as a pattern, the message said again with the pattern's values)
PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(pattern), message) for pattern, message in [
    # providers.cvr_problem / gln_problem
    (r"a CVR number has (?P<expected>\d+) digits; " + _QUOTED + r" has (?P<count>\d+)",
     N_("A CVR number has %(expected)s digits; “%(number)s” has %(count)s.")),
    (r"a CVR number has only digits; " + _QUOTED + r" has other characters",
     N_("A CVR number has only digits; “%(number)s” has other characters.")),
    (r"a CVR number never starts with 0",
     N_("A CVR number never starts with 0.")),
    (r"(?P<number>\S+) is not a CVR number: its digits fail the check \(modulus 11\); look for a typo",
     N_("%(number)s is not a CVR number: the check digit does not match the other digits (modulus 11). "
        "Look for a typo.")),
    (r"a GLN \(EAN location number\) has only digits; " + _QUOTED + r" has other characters",
     N_("A GLN/EAN number has only digits; “%(number)s” has other characters.")),
    (r"a GLN \(EAN location number\) has (?P<expected>\d+) digits; " + _QUOTED + r" has (?P<count>\d+)",
     N_("A GLN/EAN number has %(expected)s digits; “%(number)s” has %(count)s.")),
    (r"(?P<number>\S+) is not a GLN: its last digit is not the check digit of the others; look for a typo",
     N_("%(number)s is not a GLN/EAN number: the last digit is not the check digit of the others. "
        "Look for a typo.")),
    (r"a provider with CVR (?P<cvr>\d+) is registered already \((?P<name>.*), id \d+\)",
     N_("A provider with CVR %(cvr)s is registered already: %(name)s.")),
    (r"a provider needs a name", N_("Give the provider's name.")),
    # tenders.create_tender
    (r"a tender needs a title", N_("Give the tender a title.")),
    (r"the price and quality weights must add up to 1 \((?P<price>\S+) \+ (?P<quality>\S+) = (?P<sum>\S+)\)",
     N_("The price and quality weights must add up to 1 (%(price)s + %(quality)s = %(sum)s).")),
    (r"is a fraction from 0 to 1 \(15 % is \"0.15\"\)",
     N_("The expected outcome rate is from 0 to 100 %.")),
    (r"must not be negative", N_("Must not be negative.")),
    (r"at least one provider is awarded a lot", N_("At least one provider is awarded a lot.")),
    (r"a tender has one lot per programme; (?P<code>\S+) is there twice",
     N_("A tender has one lot per programme.")),
    (r"the contracts cannot end \((?P<end>\S+)\) before they start \((?P<start>\S+)\)",
     N_("The contracts cannot end (%(end)s) before they start (%(start)s).")),
    (r"the extension option \((?P<max_end>\S+)\) cannot end before the contracts \((?P<end>\S+)\)",
     N_("The extension option (%(max_end)s) cannot end before the contracts end (%(end)s).")),
    (r"the reference (?P<reference>.+) is taken by another tender",
     N_("The reference %(reference)s is taken by another tender.")),
    # contract_register.create_contract
    (r"the contract cannot end \((?P<end>\S+)\) before it starts \((?P<start>\S+)\)",
     N_("The contract cannot end (%(end)s) before it starts (%(start)s).")),
    (r"the extension option \((?P<max_end>\S+)\) cannot end before the contract \((?P<end>\S+)\)",
     N_("The extension option (%(max_end)s) cannot end before the contract ends (%(end)s).")),
    (r"the VAT rate is a fraction from 0 up to, not including, 1 .*",
     N_("The VAT rate is from 0 up to, not including, 100 %.")),
    (r"the reference (?P<reference>.+) is taken by another contract",
     N_("The reference %(reference)s is taken by another contract.")),
    (r"there is no provider with id \d+", N_("Choose a provider from the list.")),
    (r"there is no contract with id \d+", N_("Choose a contract from the list.")),
    (r"contract (?P<reference>\S+) already has a successor \((?P<successor>\S+)\)",
     N_("Contract %(reference)s already has a successor (%(successor)s).")),
    (r"contract (?P<reference>\S+) is for another programme \((?P<code>\S+)\); a successor continues the same "
     r"programme",
     N_("Contract %(reference)s is for another programme; a successor continues the same programme.")),
    # contract_register warnings after saving
    (r"(?P<days>\d+) day\(s\) without a contract between (?P<reference>\S+) ending (?P<end>\S+) and this start",
     N_("%(days)s day(s) without a contract between %(reference)s, which ends %(end)s, and this contract's "
        "start.")),
    (r"overlaps (?P<reference>\S+) \(ending (?P<end>\S+)\) by (?P<days>\d+) day\(s\)",
     N_("The contract overlaps %(reference)s (which ends %(end)s) by %(days)s day(s).")),
]]


def _shown(value: str) -> str:
    """ISO dates and decimals as the user's locale writes them; everything else as it is."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return day(date.fromisoformat(value))
    if re.fullmatch(r"-?\d+\.\d+", value) and str(get_locale()) == "da":
        return value.replace(".", ",")
    return value


def say(message: str) -> str:
    """A service's sentence in the user's language, with its values."""
    for pattern, text in PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return gettext(text, **{name: _shown(value) for name, value in found.groupdict().items()})
    return gettext(message)


def show_problems(problems: list[tuple[str, str]], fields: dict[str, object]) -> list[str]:
    """Put each (field, message) problem next to its form field; return those with no field."""
    general = []
    for name, message in problems:
        field = fields.get(name)
        if field is None:
            general.append(say(message))
        else:
            field.errors = list(field.errors or []) + [say(message)]
    return general
