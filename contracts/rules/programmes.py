"""The four activation programmes of the effort (DESIGN.md §2, §8), in the seed's order.

Migration 0002 writes them into every new database; it keeps its own frozen copy of these
values, as a migration must, so change both together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardProgramme:
    code: str
    position: int
    name_da: str
    name_en: str
    age_rule: str


STANDARD_PROGRAMMES = (
    StandardProgramme(
        "youth-bridging",
        1,
        "Uddannelsesforløb med opkvalificering for unge under 30 (brobygning med mentor)",
        "Education course with upskilling for young people under 30 (bridging, with mentor)",
        "under_30",
    ),
    StandardProgramme(
        "youth-placement",
        2,
        "Uddannelsesforløb med vejledning, opkvalificering og virksomhedspraktik for unge under 30",
        "Education course with guidance, upskilling and company placement for young people under 30",
        "under_30",
    ),
    StandardProgramme(
        "adult-employment",
        3,
        "Beskæftigelsesrettet forløb med mentor, vejledning og opkvalificering for aktivitetsparate "
        "på 30 år og derover",
        "Employment course with mentor, guidance and upskilling for citizens aged 30 and over "
        "who are not job-ready",
        "30_and_over",
    ),
    StandardProgramme(
        "utility-work",
        4,
        "Nytteindsats eller lignende tilbud i privat regi for alle ydelsesmodtagere",
        "Utility work or similar offers run by private providers, for all benefit recipients",
        "all",
    ),
)
