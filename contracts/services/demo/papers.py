"""The demo's documents as files: the re-tender's material and the 2018 agreements' signed
contracts and extensions, small real PDFs (WeasyPrint from a few lines of Danish HTML) and a
price schedule in XLSX (openpyxl). Pure: text in, bytes out; the wording follows the seed's
letter (seed/README.md) and the demo's plan.

The HTML names no URL, so WeasyPrint fetches nothing; fonts come from the system (DejaVu).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from html import escape

from ...documents.formatting import day, money

STYLE = """
@page { size: A4; margin: 2.2cm 2cm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
h2 { font-size: 11.5pt; margin: 1.1em 0 .3em; }
.meta { color: #555; margin-bottom: 1.2em; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #999; padding: 3pt 5pt; text-align: left; vertical-align: top; }
.signatures td { border: none; padding-top: 2.2em; width: 50%; }
"""

AUTHORITY = "Københavns Kommune, Beskæftigelses- og Integrationsforvaltningen"
TARGET_GROUP = (
    "ledige borgere med tilknytning til rocker- eller bandemiljøet, som aktiveres maksimalt "
    "efter de gældende regler (op til 37 timer om ugen) og indkaldes til ugentlige jobsamtaler, "
    "når de ikke er i aktivering"
)


def pdf(title: str, meta: str, sections: list[tuple[str, list[str]]], extra: str = "") -> bytes:
    """A one- or two-page PDF: a title, a line under it, and sections of paragraphs."""
    from weasyprint import HTML  # imported here: only the demo's loading makes these

    body = "".join(
        f"<h2>{escape(heading)}</h2>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        for heading, paragraphs in sections
    )
    html = (
        f'<html lang="da"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f'<p class="meta">{escape(meta)}</p>{body}{extra}</body></html>'
    )
    return HTML(string=html).write_pdf()


def lot_lines(lots: list[tuple[int, str]]) -> list[str]:
    return [f"Delaftale {number}: {title}." for number, title in lots]


def tender_material(
    reference: str, title: str, deadline: str, start: date, lots: list[tuple[int, str]]
) -> dict[str, bytes]:
    """The re-tender's first material by title (Kravspecifikation at version 1)."""
    meta = f"{reference} · {title} · {AUTHORITY}"
    return {
        "Udbudsbetingelser": pdf(
            "Udbudsbetingelser",
            meta,
            [
                (
                    "1. Udbuddets genstand",
                    [
                        "Københavns Kommune genudbyder særindsatsaftalerne fra 2018 om særlige "
                        f"forløb for {TARGET_GROUP}.",
                        "Udbuddet er opdelt i delaftaler, én for hver indsats:",
                        *lot_lines(lots),
                    ],
                ),
                (
                    "2. Frister",
                    [
                        f"Tilbud afgives i leverandørportalen senest {deadline}.",
                        "Spørgsmål stilles i portalen senest seks dage før tilbudsfristen; svar "
                        "offentliggøres anonymiseret for alle tilbudsgivere.",
                    ],
                ),
                (
                    "3. Tildeling",
                    [
                        "Tildeling sker på grundlag af det bedste forhold mellem pris og "
                        "kvalitet. Kvaliteten vurderes på metodebeskrivelse, CV'er for "
                        "mentorerne og referencer, som vedlægges tilbuddet for hver delaftale.",
                    ],
                ),
            ],
        ),
        "Kravspecifikation": requirements(meta, start, lots, revised=False),
        "Kontraktudkast": pdf(
            "Kontraktudkast",
            meta,
            [
                (
                    "§ 1 Parter og periode",
                    [
                        f"Aftalen indgås mellem {AUTHORITY} og leverandøren. Den løber fra "
                        f"{day(start)} i 24 måneder med option på forlængelse i op til 12 "
                        "måneder.",
                    ],
                ),
                (
                    "§ 2 Betaling",
                    [
                        "Leverandøren afregner månedligt efter accepteret månedsindberetning: "
                        "et fast beløb pr. borger i forløb, en timepris for leverede timer og "
                        "en resultatbonus, når en borger går i ordinær beskæftigelse eller "
                        "uddannelse.",
                    ],
                ),
                (
                    "§ 3 Indberetning",
                    [
                        "Leverandøren indberetter senest den 10. i måneden for den forrige "
                        "måned: planlagte og leverede timer, fravær og afgange med årsag.",
                    ],
                ),
            ],
        ),
        "Tilbudsliste": price_schedule(reference, lots),
    }


def requirements(meta: str, start: date, lots: list[tuple[int, str]], revised: bool) -> bytes:
    """Kravspecifikation; version 2 adds how citizens in a course move to the new provider."""
    sections = [
        (
            "1. Målgruppe",
            [f"Indsatsen er for {TARGET_GROUP}."],
        ),
        (
            "2. Indsatser",
            [
                *lot_lines(lots),
                "Forløbene kombinerer mentor, vejledning, opkvalificering og "
                "virksomhedsplacering efter borgerens plan; jobcentret fastsætter timetallet.",
            ],
        ),
        (
            "3. Mål",
            [
                "Målet er ordinær beskæftigelse eller uddannelse. Leverandøren indberetter "
                "hver afgang med årsag, så kommunen kan følge, hvor mange der kommer i job "
                "eller uddannelse.",
            ],
        ),
    ]
    if revised:
        sections.append(
            (
                "4. Overlevering ved kontraktstart",
                [
                    f"Borgere i forløb hos en nuværende leverandør den {day(start)} overgår "
                    "til den leverandør, der vinder delaftalen. Den nuværende leverandør "
                    "afleverer en overleveringsnote for hver borger senest 14 dage før.",
                ],
            )
        )
    title = "Kravspecifikation" + (" (version 2)" if revised else "")
    return pdf(title, meta, sections)


def price_schedule(reference: str, lots: list[tuple[int, str]]) -> bytes:
    """Tilbudsliste: one row per lot, the price cells left for the bidder to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Tilbudsliste"
    sheet.append([f"Tilbudsliste, {reference}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Tilbudsgiver:"])
    sheet.append([])
    header = [
        "Delaftale",
        "Indsats",
        "Fast beløb pr. borger pr. måned (kr.)",
        "Timepris (kr.)",
        "Resultatbonus pr. borger (kr.)",
    ]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for number, title in lots:
        sheet.append([number, title, None, None, None])
    for column, width in zip("ABCDE", (10, 60, 34, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    # The same bytes on every load: the file's own dates are the demo's.
    book.properties.created = book.properties.modified = datetime(2019, 1, 18, 10)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def signed_contract(
    reference: str,
    title: str,
    provider: str,
    cvr: str,
    period: tuple[date, date, date],
    prices: tuple,
    signed_on: date,
) -> bytes:
    """The signed special-effort agreement: parties, period, prices, both signatures."""
    start, end, max_end = period
    monthly_fee, hourly_rate, outcome_bonus, ceiling = prices
    return pdf(
        f"Særindsatsaftale {reference}",
        f"{title} · Underskrevet {day(signed_on)}",
        [
            (
                "§ 1 Parter",
                [f"{AUTHORITY} og {provider} (CVR {cvr})."],
            ),
            (
                "§ 2 Ydelsen",
                [
                    f"Særlige forløb for {TARGET_GROUP}, efter kommunens henvisning.",
                ],
            ),
            (
                "§ 3 Periode",
                [
                    f"Fra {day(start)} til og med {day(end)}, med option på forlængelse til "
                    f"og med {day(max_end)}.",
                ],
            ),
            (
                "§ 4 Priser",
                [
                    f"Fast beløb pr. borger pr. måned {money(monthly_fee)}, timepris "
                    f"{money(hourly_rate)}, resultatbonus {money(outcome_bonus)}; samlet "
                    f"loft {money(ceiling)}, alle beløb uden moms.",
                ],
            ),
        ],
        extra=_signatures(provider, signed_on),
    )


def extension(
    reference: str, provider: str, old_end: date, new_end: date, reason: str, signed_on: date
) -> bytes:
    """The amendment extending an agreement: Tillæg 1, signed by both."""
    return pdf(
        f"Tillæg 1 til særindsatsaftale {reference}",
        f"Forlængelse · Underskrevet {day(signed_on)}",
        [
            (
                "Forlængelse",
                [
                    f"Aftalen mellem {AUTHORITY} og {provider}, der udløber {day(old_end)}, "
                    f"forlænges efter aftalens option til og med {day(new_end)}.",
                    f"Begrundelse: {reason}.",
                    "Aftalens øvrige vilkår, herunder priserne, er uændrede.",
                ],
            ),
        ],
        extra=_signatures(provider, signed_on),
    )


def _signatures(provider: str, signed_on: date) -> str:
    return (
        '<table class="signatures"><tr>'
        f"<td>For Københavns Kommune<br>{escape(day(signed_on))}<br>Mette Kjærgaard</td>"
        f"<td>For {escape(provider)}<br>{escape(day(signed_on))}</td>"
        "</tr></table>"
    )
