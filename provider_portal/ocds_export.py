"""The OCDS release package, for the API call and for the download button on the tenders page."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from contracts.documents.ocds import Party, release_package
from contracts.services.tenders import TenderLinks, ocds_processes

from .clock import now
from .extensions import db
from .security import viewer


def ocds_package() -> dict[str, Any]:
    """Every published tender, award, contract and amendment the viewer may export; the
    package names the API call as its address, whichever way it was fetched."""
    config = current_app.config
    buyer = Party(config["MUNICIPALITY_NAME"], config["MUNICIPALITY_CVR"])
    moment = now()
    links = TenderLinks(
        document=lambda tender_id, document_id: url_for(
            "procurement.tender_document",
            tender_id=tender_id,
            document_id=document_id,
            _external=True,
        ),
        answers=lambda tender_id: url_for(
            "procurement.tender", tender_id=tender_id, _anchor="questions", _external=True
        ),
    )
    processes = ocds_processes(db.session, viewer(), moment, links)
    uri = url_for("api.ocds_releases", _external=True)
    return release_package(config["OCDS_OCID_PREFIX"], processes, buyer, moment, uri)
