"""The OCDS 1.1 export: every published tender, award, contract and amendment as a release package."""

from __future__ import annotations

from flask import current_app, request

from contracts.documents.ocds import Party, release_package
from contracts.services.tenders import ocds_processes

from ..clock import now
from ..extensions import db
from ..security import viewer
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
    config = current_app.config
    buyer = Party(config["MUNICIPALITY_NAME"], config["MUNICIPALITY_CVR"])
    moment = now()
    processes = ocds_processes(db.session, viewer(), moment)
    return release_package(config["OCDS_OCID_PREFIX"], processes, buyer, moment, request.base_url)
