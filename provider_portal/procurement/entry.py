"""Procurement pages that enter records from scratch: a new tender with its lots, and a contract
entered directly (the agreements signed before the portal existed). Registered on the
procurement blueprint.

Both act through the services (`tenders.create_tender`, `contract_register.create_contract`),
which find every problem before anything is stored; each is shown next to its field in the
user's language with 422, and a page that is refused stores nothing.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from contracts.models import Programme
from contracts.rules.milestones import CLAIMED_MILESTONES
from contracts.services import DomainError, contract_lists
from contracts.services import contract_register as register
from contracts.services import providers as provider_service
from contracts.services import tenders as tender_service
from contracts.services.contract_register import ContractTerms
from contracts.services.programmes import all_programmes

from .. import clock, transaction
from ..converters import id_of
from ..extensions import db
from ..formatting import programme_name
from ..i18n import say
from ..security import actor, allow, viewer
from . import tender_terms as terms_of
from .forms import ContractForm, TenderForm
from .views import bp

HUNDRED = terms_of.HUNDRED

# --- a new tender ---


def _tender_fields(form: TenderForm) -> dict:
    """The service's problem names mapped to this form's fields (lots.N.x: the N-th chosen lot)."""
    fields = terms_of.tender_fields(form)
    for number, lot in enumerate(form.chosen_lots(), start=1):
        fields.update(terms_of.lot_fields(lot, f"lots.{number}"))
    return fields


def _lot_terms(lot) -> tender_service.LotTerms:
    return tender_service.LotTerms(programme=lot.programme.data, **terms_of.lot_changes(lot))


@bp.route("/tenders/new", methods=["GET", "POST"])
@allow("procurement")
def new_tender():
    """A tender from scratch: its terms and one lot per chosen programme, saved as a draft."""
    programmes = all_programmes(db.session)
    if request.method == "POST":
        form = TenderForm()
    else:
        form = TenderForm(data={"lots": [{"programme": p.code} for p in programmes]})
    problems, status = [], 200
    if form.is_submitted():
        status = 422
        if form.validate():
            now = clock.now()
            deadline = terms_of.deadline(form)
            # create_tender accepts any deadline for a draft (publishing refuses a past one); a
            # new tender is refused one already past, shown with the service's own problems.
            deadline_passed = deadline is not None and deadline <= now
            terms = tender_service.TenderTerms(
                title=form.title.data,
                lots=[_lot_terms(lot) for lot in form.chosen_lots()],
                procedure=form.procedure.data,
                contract_kind=form.contract_kind.data,
                deadline_at=deadline,
                contract_start_on=form.contract_start_on.data,
                contract_end_on=form.contract_end_on.data,
                contract_max_end_on=form.contract_max_end_on.data,
            )
            try:
                tender = tender_service.create_tender(db.session, actor(), viewer(), terms, now)
            except DomainError as error:
                problems = terms_of.refused(error, _tender_fields(form))
                status = error.status
            else:
                if not deadline_passed:
                    flash(
                        _(
                            "The tender %(reference)s is a draft; check it and publish it.",
                            reference=tender.reference,
                        ),
                        "success",
                    )
                    return redirect(url_for("procurement.tender", tender_id=tender.id))
                transaction.rollback()
            if deadline_passed:
                form.deadline.errors = [_("The deadline has passed; set a deadline in the future.")]
    names = {p.code: p for p in programmes}
    # A service's refusal marks fields after the form's own check, so the status tells.
    return render_template(
        "procurement/tenders/new.html",
        form=form,
        programmes=names,
        problems=problems,
        refused=status != 200,
    ), status


# --- a contract entered directly ---


def _contract_fields(form: ContractForm) -> dict:
    return {
        "provider_id": form.provider_id,
        "programme": form.programme,
        "kind": form.kind,
        "start_date": form.start_on,
        "end_date": form.end_on,
        "max_end_date": form.max_end_on,
        "monthly_fee": form.monthly_fee,
        "hourly_rate": form.hourly_rate,
        "outcome_bonus": form.outcome_bonus,
        "vat_rate": form.vat_rate,
        "ceiling": form.ceiling,
        "reference": form.reference,
        "predecessor_id": form.predecessor_id,
        "invoicing": form.invoicing,
        "milestones": form.week13,
        "clawback_days": form.clawback_days,
    }


def _contract_choices(form: ContractForm, programmes: list[Programme]) -> None:
    v = viewer()
    form.provider_id.choices = [
        SelectChoice(p.id, f"{p.name} (CVR {p.cvr})")
        for p in provider_service.visible_providers(db.session, v)
    ]
    form.programme.choices = [SelectChoice(p.code, programme_name(p)) for p in programmes]
    running = [c for c in contract_lists.contracts_by_start(db.session, v) if c.successor is None]
    form.predecessor_id.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(c.id, f"{c.reference} · {c.provider.name} · {_('ends')} {c.end_on:%d-%m-%Y}")
        for c in running
    ]


@bp.route("/contracts/new", methods=["GET", "POST"])
@allow("procurement")
def new_contract():
    """Enter a contract directly; a gap or an overlap with the contract it continues is warned of."""
    programmes = all_programmes(db.session)
    if request.method == "POST":
        form = ContractForm()
    else:
        chosen = request.args.get("provider_id", "")
        form = ContractForm(provider_id=id_of(chosen))
    _contract_choices(form, programmes)
    problems, status = [], 200
    if form.is_submitted():
        status = 422
        if form.validate():
            terms = ContractTerms(
                provider_id=form.provider_id.data,
                programme=form.programme.data,
                kind=form.kind.data,
                start_on=form.start_on.data,
                end_on=form.end_on.data,
                max_end_on=form.max_end_on.data or form.end_on.data,
                monthly_fee=form.monthly_fee.data,
                hourly_rate=form.hourly_rate.data,
                outcome_bonus=form.outcome_bonus.data,
                vat_rate=form.vat_rate.data / HUNDRED,
                ceiling=form.ceiling.data,
                reference=(form.reference.data or "").strip() or None,
                title=(form.title.data or "").strip(),
                predecessor_id=form.predecessor_id.data or None,
                invoicing=form.invoicing.data,
                milestones=tuple(
                    (code, getattr(form, code).data)
                    for code in CLAIMED_MILESTONES
                    if getattr(form, code).data is not None
                ),
                clawback_days=form.clawback_days.data,
            )
            try:
                created = register.create_contract(
                    db.session, actor(), viewer(), terms, clock.today()
                )
            except DomainError as error:
                problems = terms_of.refused(error, _contract_fields(form))
                status = error.status
            else:
                flash(
                    _(
                        "The contract %(reference)s is entered.",
                        reference=created.contract.reference,
                    ),
                    "success",
                )
                for warning in created.warnings:
                    flash(say(warning), "warning")
                return redirect(url_for("procurement.contract", contract_id=created.contract.id))
    return render_template("procurement/contract_new.html", form=form, problems=problems), status
