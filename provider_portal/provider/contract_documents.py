"""The documents of a provider's own contract (the signed contract, its annexes, its
amendments'), to read and download. Another provider's contract and its documents do not exist
for it (404), as one that does not exist.
"""

from __future__ import annotations

from flask import abort, render_template

from contracts.services import NotFound, contract_documents, contract_register

from ..extensions import db
from ..file_responses import file_response
from ..security import allow, viewer
from .views import bp


@bp.route("/contracts/<int:contract_id>/documents")
@allow("provider")
def contract_documents_page(contract_id: int):
    """The contract's documents, newest amendments' last."""
    try:
        contract = contract_register.get_contract(db.session, viewer(), contract_id)
    except NotFound:
        abort(404)
    return render_template("procurement/contract_documents.html", contract=contract, problem=None)


@bp.route("/contracts/<int:contract_id>/documents/<int:document_id>")
@allow("provider")
def contract_document(contract_id: int, document_id: int):
    """Download one of the contract's documents."""
    try:
        document = contract_documents.get_document(db.session, viewer(), contract_id, document_id)
    except NotFound:
        abort(404)
    return file_response(document.file)
