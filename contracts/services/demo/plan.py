"""What the demo must contain: the seed's people, providers, contracts, figures and calendar.

Kept apart from the code that makes rows of it, so the seed's situation on 24 January 2019
(seed/README.md, DESIGN.md §3) reads in one place and a changed figure changes only here.
Pure data; nothing here touches a database or draws a random number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from ..audit import Actor

DEMO_PASSWORD = "demo-password"  # nosec B105 # the demo's published password (README)
DEMO_USERS = [
    ("indkob@demo.dk", "procurement"),
    ("leverandor@demo.dk", "provider"),
    ("okonomi@demo.dk", "finance"),
    ("admin@demo.dk", "admin"),
]
DEMO_TODAY = date(2019, 1, 24)
DEMO_SEED = 20190124
DEMO_ACTOR = Actor("demo")

USER_NAMES = {
    "indkob@demo.dk": "Mette Kjærgaard",
    "leverandor@demo.dk": "Jonas Holm",
    "okonomi@demo.dk": "Lene Bach Sørensen",
    "admin@demo.dk": "Søren Dahl",
}

# Made-up providers; the CVR numbers pass the modulus-11 check, the GLNs their check digit.
# (key, name, CVR, GLN or None, contact name)
PROVIDERS = [
    ("bro", "Bro til Uddannelse ApS", "26483824", "5790001234560", "Anne Mølgaard"),
    ("vaerksted", "Ungeværkstedet Nordvest ApS", "30160916", None, "Kasper Lund"),
    ("fodfaeste", "Nyt Fodfæste A/S", "40850309", "5790002345678", "Jonas Holm"),
    ("nytte", "Nyttejob København ApS", "26735904", None, "Birgitte Frost"),
    ("fremad", "Fremad Unge A/S", "30281284", "5790003456786", "Hassan Yilmaz"),
    ("kursskifte", "Kursskifte ApS", "30458702", None, "Rikke Vestergaard"),
]
# The providers' postal addresses (street, postcode, city), as their invoices print them;
# made up, in the parts of the city the effort works in.
ADDRESSES = {
    "bro": ("Rentemestervej 14", "2400", "København NV"),
    "vaerksted": ("Frederikssundsvej 52", "2400", "København NV"),
    "fodfaeste": ("Tagensvej 85", "2200", "København N"),
    "nytte": ("Folehaven 12", "2500", "Valby"),
    "fremad": ("Mjølnerparken 30", "2200", "København N"),
    "kursskifte": ("Tingbjerg Allé 4", "2700", "Brønshøj"),
}
# The provider whose coordinator is the demo provider user (the adult-employment agreement).
DEMO_PROVIDER_KEY = "fodfaeste"

SPECIAL_START = date(2018, 3, 1)
SPECIAL_ORIGINAL_END = date(2019, 2, 28)
SPECIAL_EXTENDED_END = date(2019, 8, 31)
EXTENSION_REASON = "Forlænget til og med august 2019 mens genudbuddet gennemføres"
EXTENDED_AT = datetime(2019, 1, 15, 10, 30, tzinfo=UTC)
# The framework agreements run to 31 March 2019 with an option to 31 March 2020 (the
# four-year limit of a framework), so they show as expiring without a successor.
FRAMEWORK_START = date(2016, 4, 1)
FRAMEWORK_END = date(2019, 3, 31)
FRAMEWORK_MAX_END = date(2020, 3, 31)


@dataclass(frozen=True)
class ContractPlan:
    """One demo contract: its terms and how many citizens are referred to it."""

    reference: str
    kind: str
    programme: str
    provider: str
    title: str
    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    ceiling: Decimal
    referrals: int


CONTRACTS = [
    ContractPlan(
        "SÆR-2018-01",
        "special_effort",
        "youth-bridging",
        "bro",
        "Særindsatsaftale: brobygning for unge under 30",
        Decimal("9500.00"),
        Decimal("48.00"),
        Decimal("15000.00"),
        Decimal("3000000.00"),
        20,
    ),
    ContractPlan(
        "SÆR-2018-02",
        "special_effort",
        "youth-placement",
        "vaerksted",
        "Særindsatsaftale: uddannelse og virksomhedspraktik for unge under 30",
        Decimal("8750.00"),
        Decimal("45.00"),
        Decimal("12500.00"),
        Decimal("2800000.00"),
        18,
    ),
    ContractPlan(
        "SÆR-2018-03",
        "special_effort",
        "adult-employment",
        "fodfaeste",
        "Særindsatsaftale: beskæftigelsesforløb for aktivitetsparate 30+",
        Decimal("10500.00"),
        Decimal("52.50"),
        Decimal("20000.00"),
        Decimal("3600000.00"),
        30,
    ),
    ContractPlan(
        "SÆR-2018-04",
        "special_effort",
        "utility-work",
        "nytte",
        "Særindsatsaftale: nytteindsats",
        Decimal("8000.00"),
        Decimal("40.00"),
        Decimal("10000.00"),
        Decimal("1800000.00"),
        17,
    ),
    ContractPlan(
        "RAM-2016-01",
        "framework",
        "youth-bridging",
        "fremad",
        "Rammeaftale: ungeforløb for unge med kriminalitet som barriere",
        Decimal("9000.00"),
        Decimal("50.00"),
        Decimal("15000.00"),
        Decimal("2000000.00"),
        11,
    ),
    ContractPlan(
        "RAM-2016-02",
        "framework",
        "youth-placement",
        "kursskifte",
        "Rammeaftale: vejledning og praktik for unge under 30",
        Decimal("9250.00"),
        Decimal("46.00"),
        Decimal("14000.00"),
        Decimal("2000000.00"),
        11,
    ),
]

# The seed's exits by 24 January 2019: 6 positive, 17 benefit stopped, 14 other.
EXIT_REASONS_PLANNED = (
    ["job"] * 4
    + ["education"] * 2
    + ["benefit_stopped"] * 17
    + ["imprisonment"] * 6
    + ["moved"] * 5
    + ["death"] * 1
    + ["other"] * 2
)

WEEKLY_HOURS = (15, 20, 25, 30, 37)

# The reports on the demo's day (DESIGN.md §3: a month is reported once it has ended, due on
# the 10th). Every month up to November 2018 is accepted and invoiced. Of December's reports,
# one waits for procurement's review and the demo provider's own is late (not sent; due on
# 10 January). January 2019 has not ended: no report is submitted, and the demo provider has
# begun its draft.
LAST_ENDED_MONTH = "2018-12"
DECEMBER_WAITING = "SÆR-2018-01"  # submitted, waiting for review
DECEMBER_WAITING_SUBMITTED_AT = datetime(2019, 1, 9, 14, 0, tzinfo=UTC)
DECEMBER_LATE = "SÆR-2018-03"  # the demo provider's: not sent
JANUARY_DRAFT = "SÆR-2018-03"  # the demo provider's draft of January, saved on the demo's day
# Exits are told the day they happen by exit notices, which procurement confirms (at once, or
# the next working day). An exit whose month's report is not accepted by the demo's day counts
# from its confirmed notice. A few exit notices of January wait for procurement's decision:
# their citizens count as active until then.
EXIT_NOTICES_WAITING = 3
# Absence notices of January: a citizen who did not turn up, with the hours missed.
ABSENCE_NOTICES = 6

RETENDER_CREATED_AT = datetime(2019, 1, 17, 9, 0, tzinfo=UTC)
RETENDER_PUBLISHED_AT = datetime(2019, 1, 21, 9, 0, tzinfo=UTC)
# Noon in Copenhagen on 15 March 2019 (winter time, UTC+1).
RETENDER_DEADLINE = datetime(2019, 3, 15, 11, 0, tzinfo=UTC)
RETENDER_TITLE = "Genudbud af særindsatsaftaler fra 1. september 2019"
# The re-tender's lot priced by milestones (DESIGN.md §15), after Aarhus's model of paying for
# results that last: the education and company placement of the young, whose result is a job or
# an education that holds. Of the 15 % expected to leave for one (the lot's outcome rate), 10 %
# are expected to still be in it after 13 weeks and 8 % after 26; a relapse within 91 days of a
# paid milestone takes it back.
RETENDER_MILESTONE_LOT = "youth-placement"
RETENDER_MILESTONE_SHARES = {
    "expected_week13_rate": Decimal("0.10"),
    "expected_week26_rate": Decimal("0.08"),
    "clawback_days": 91,
}


def at(day: date, hour: int) -> datetime:
    """The demo's clock: a whole hour of a day, in UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)
