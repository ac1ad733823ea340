"""The OCDS 1.1 export: every published tender, award, contract and amendment as a release package."""

from __future__ import annotations

from ..ocds_export import ocds_package
from .declare import operation


@operation(
    "GET",
    "/ocds/releases",
    summary="OCDS release package",
    roles=("procurement", "finance"),
    tag="ocds",
    response=None,
    response_description="An OCDS 1.1 release package with the Lots extension",
)
def ocds_releases():
    """Tenders with their lots, awards with relatedLots, contracts and their amendments; a re-tender
    points to the processes it replaces (relatedProcesses, relationship prior). Bids are never exported."""
    return ocds_package()
