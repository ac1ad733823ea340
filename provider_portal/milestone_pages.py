"""What the milestone pages of both sides share (DESIGN.md §15): the claim and relapse forms,
the check share from the configuration, and recording either from a posted form, with the
service's problems put beside the fields they concern."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from contracts.rules.milestones import MOST_WEEKLY_HOURS
from contracts.services import DomainError, Refused, milestone_claims
from contracts.services.relapses import record_relapse

from . import clock, transaction
from .extensions import db
from .form_fields import DayField, NumberField, PortalForm
from .i18n import say
from .security import actor, viewer


def check_share() -> Decimal:
    """CLAIM_CHECK_SHARE (config.py reads and checks it at start; a test may set it later)."""
    return Decimal(str(current_app.config["CLAIM_CHECK_SHARE"]))


class ClaimForm(PortalForm):
    """A claim that a participant's job or education reached a milestone, with its evidence."""

    participant_ref = SelectField(_l("Participant"), validate_choice=False)
    milestone = RadioField(
        _l("Milestone"),
        choices=[
            SelectChoice("week13", _l("Job or education lasted 13 weeks")),
            SelectChoice("week26", _l("Job or education lasted 26 weeks")),
        ],
        default="week13",
        validate_choice=False,
    )
    employer_cvr = StringField(_l("Employer's CVR number (for a job)"), [Optional()])
    institution = StringField(_l("Education institution (for education)"), [Optional()])
    started_on = DayField(_l("The job or education started on"), [InputRequired()])
    weekly_hours = NumberField(
        _l("Hours a week"), [InputRequired(_l("Give the hours a week."))], maximum=MOST_WEEKLY_HOURS
    )


class RelapseForm(PortalForm):
    """A participant back on benefit after leaving for a job or education."""

    participant_ref = StringField(_l("Participant"), [InputRequired(_l("Choose the participant."))])
    date = DayField(_l("Back on benefit from"), [InputRequired(_l("Give the date."))])


def offer_milestones(form: ClaimForm, codes: list[str]) -> None:
    """Only the later milestones the contract pays are offered, the first of them chosen; a
    posted code it does not pay is left for the claim's rules to refuse in words."""
    form.milestone.choices = [c for c in form.milestone.choices if c.value in codes]
    if codes and not form.milestone.raw_data:  # asked for the page, not posted
        form.milestone.data = codes[0]


def offer_participants(form: ClaimForm, refs: list[str]) -> None:
    """The participants a claim may be about: those who left the contract for a job or education."""
    form.participant_ref.choices = [SelectChoice("", _l("Choose a participant"))] + [
        SelectChoice(ref, ref) for ref in refs
    ]


def _beside(form: PortalForm, error: DomainError, fallback) -> None:
    problems = error.problems if isinstance(error, Refused) else [error]
    for problem in problems:
        name = {"milestone": "milestone", "evidence": "employer_cvr"}.get(
            problem.field or "", problem.field or ""
        )
        field = getattr(form, name, None) or fallback
        field.errors = [*field.errors, say(problem)]


def make_claim(form: ClaimForm, contract_id: int) -> bool:
    """Record the posted claim; False (nothing stored, the problems on the form) when refused."""
    try:
        milestone_claims.make(
            db.session,
            actor(),
            viewer(),
            contract_id,
            participant_ref=form.participant_ref.data or "",
            code=form.milestone.data,
            employer_cvr=form.employer_cvr.data,
            institution=form.institution.data,
            started_on=form.started_on.day,
            weekly_hours=form.weekly_hours.data,
            today=clock.today(),
            now=clock.now(),
            check_share=check_share(),
        )
    except DomainError as error:
        transaction.rollback()
        _beside(form, error, form.participant_ref)
        return False
    return True


def record_posted_relapse(form: RelapseForm, contract_id: int) -> bool:
    """Record the posted relapse; False (nothing stored, the problems on the form) when refused."""
    try:
        record_relapse(
            db.session,
            actor(),
            viewer(),
            contract_id,
            participant_ref=form.participant_ref.data or "",
            on=form.date.day,
            today=clock.today(),
            now=clock.now(),
        )
    except DomainError as error:
        transaction.rollback()
        _beside(form, error, form.participant_ref)
        return False
    return True
