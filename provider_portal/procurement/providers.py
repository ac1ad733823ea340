"""Procurement pages for providers: the list, registering one, changing one, and one provider's
contracts and history. Registered on the procurement blueprint.

The CVR and GLN/EAN are checked by the services; each problem is shown next to its field in
the user's language, with 422 (or 409 for a CVR registered already), and nothing is stored.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from contracts.services import DomainError, contract_lists
from contracts.services import providers as service
from contracts.services.provider_changes import (
    EXTRA_FIELDS,
    ProviderDetails,
    ProviderRefused,
    register_provider,
    update_provider,
)

from .. import clock, transaction
from ..extensions import db
from ..i18n import say
from ..security import actor, allow, viewer
from .forms import ProviderForm
from .history import record_history
from .problems import show_problems
from .views import bp


def _provider_or_404(provider_id: int):
    try:
        return service.get_provider(db.session, viewer(), provider_id)
    except DomainError:
        abort(404)


def _details(form: ProviderForm) -> ProviderDetails:
    return ProviderDetails(
        name=form.name.data or "",
        cvr=form.cvr.data or "",
        gln=form.gln.data or None,
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        street=form.street.data or "",
        postcode=form.postcode.data or "",
        city=form.city.data or "",
    )


def _save(form: ProviderForm, act) -> tuple[object | None, list[str], int]:
    """Run a provider use case on valid input: (provider, general problems, HTTP status)."""
    if not form.validate_on_submit():
        return None, [], 422
    try:
        provider = act(_details(form))
    except ProviderRefused as error:
        transaction.rollback()
        return (
            None,
            show_problems(
                error.problems,
                {name: getattr(form, name) for name in ("name", "cvr", "gln", *EXTRA_FIELDS)},
            ),
            error.status,
        )
    except DomainError as error:
        transaction.rollback()
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = list(field.errors) + [say(error)]
            return None, [], error.status
        return None, [say(error)], error.status
    return provider, [], 200


@bp.route("/providers")
@allow("procurement")
def providers():
    """Every provider, by name."""
    return render_template(
        "procurement/providers/list.html", providers=service.visible_providers(db.session, viewer())
    )


@bp.route("/providers/new", methods=["GET", "POST"])
@allow("procurement")
def new_provider():
    """Register a provider: name, CVR, GLN/EAN, contact and address."""
    form = ProviderForm()
    problems, status = [], 200
    if form.is_submitted():
        provider, problems, status = _save(
            form, lambda details: register_provider(db.session, actor(), viewer(), details)
        )
        if provider is not None:
            flash(_("%(name)s is registered.", name=provider.name), "success")
            return redirect(url_for("procurement.provider", provider_id=provider.id))
    return render_template(
        "procurement/providers/form.html", form=form, provider=None, problems=problems
    ), status


@bp.route("/providers/<int:provider_id>/edit", methods=["GET", "POST"])
@allow("procurement")
def edit_provider(provider_id: int):
    """Change a provider's name, CVR, GLN/EAN, contact or address."""
    provider = _provider_or_404(provider_id)
    form = ProviderForm(obj=provider)
    problems, status = [], 200
    if form.is_submitted():
        saved, problems, status = _save(
            form,
            lambda details: update_provider(db.session, actor(), viewer(), provider_id, details),
        )
        if saved is not None:
            flash(_("Saved."), "success")
            return redirect(url_for("procurement.provider", provider_id=provider_id))
        # The rollback expired the provider; the page shows it as it is stored.
        provider = _provider_or_404(provider_id)
    return render_template(
        "procurement/providers/form.html", form=form, provider=provider, problems=problems
    ), status


@bp.route("/providers/<int:provider_id>")
@allow("procurement")
def provider(provider_id: int):
    """One provider: its details, its contracts and its history."""
    found = _provider_or_404(provider_id)
    today = clock.today()
    return render_template(
        "procurement/providers/detail.html",
        provider=found,
        today=today,
        contracts=contract_lists.contracts_by_start(db.session, viewer(), provider_id),
        history=record_history("provider", provider_id),
    )
