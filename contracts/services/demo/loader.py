"""The planned rows written into an empty database through the same services the portal uses.

Users, extensions, notices and the re-tender go through `create_user`, `extend`, the notices
service, `retender` and `publish`, so the demo's audit trail, amendments and notices are what
the portal itself would write; only referrals and reports, which in real life arrive over
months, are written directly. Everything is stamped with the demo's calendar: a service's
audit events and rows get the moment the plan gives, never the day the demo was loaded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import (
    Contract,
    Enrolment,
    MonthlyReport,
    Participant,
    Programme,
    Provider,
    ReportLine,
    User,
)
from ...rules.cpr import age_on, parse_cpr, pseudonym
from ...rules.problems import N_
from ...rules.programmes import STANDARD_PROGRAMMES
from .. import DomainError
from ..accounts import create_user
from ..audit import Actor, record
from ..contract_changes import extend
from ..notices import confirm
from ..notices import record as tell
from ..referrals import age_allowed
from ..scope import Viewer
from . import material, plan, story
from .benchmark_peers import load_peer_packages
from .generator import (
    CitizenPlan,
    NoticePlan,
    ReportPlan,
    plan_citizens,
    plan_notices,
    plan_reports,
)
from .stamping import stamped as _stamped

# When the demo's people were given their accounts: before the special efforts began.
USERS_CREATED_AT = plan.at(plan.SPECIAL_START - timedelta(days=14), 8)


def load_demo(session: Session, pseudonym_key: bytes) -> str:
    """Load the seed's situation on 24 January 2019 into an empty database; flushes, never commits.

    Refuses (DomainError) a database that already holds users or providers, so it loads once.
    The four programmes come with the schema (migration 0002).
    Returns a one-line summary.
    """
    if session.scalar(sa.select(sa.func.count()).select_from(Provider)) or session.scalar(
        sa.select(sa.func.count()).select_from(User)
    ):
        raise DomainError(
            N_(
                "The database already holds data; the demo data is only loaded into an empty database."
            ),
            status=409,
        )
    programmes = {row.code: row for row in session.scalars(sa.select(Programme))}
    missing = {p.code for p in STANDARD_PROGRAMMES} - set(programmes)
    if missing:
        raise DomainError(
            N_("the programmes %(codes)s are missing; run init-db first"),
            status=409,
            codes=sorted(missing),
        )
    providers = {
        key: Provider(
            name=name,
            cvr=cvr,
            gln=gln,
            contact_name=contact,
            contact_email=f"kontakt@{key}.demo.dk",
            street=plan.ADDRESSES[key][0],
            postcode=plan.ADDRESSES[key][1],
            city=plan.ADDRESSES[key][2],
        )
        for key, name, cvr, gln, contact in plan.PROVIDERS
    }
    for key, provider in providers.items():
        provider.created_at = _registered_at(key)
    session.add_all([*programmes.values(), *providers.values()])
    session.flush()

    users = {}
    for email, role in plan.DEMO_USERS:
        provider_id = providers[plan.DEMO_PROVIDER_KEY].id if role == "provider" else None
        with _stamped(session, USERS_CREATED_AT):
            users[role] = create_user(
                session,
                plan.DEMO_ACTOR,
                email,
                role,
                plan.DEMO_PASSWORD,
                provider_id,
                plan.USER_NAMES[email],
            )
            users[role].created_at = USERS_CREATED_AT
            # The demo provider's coordinator administers its provider's users (provider_admin).
            users[role].manages_users = role == "provider"
            # A newcomer logs in with the demo password alone (the login page says so).
            users[role].two_factor_exempt = True

    contracts = {
        terms.reference: _contract(terms, programmes, providers) for terms in plan.CONTRACTS
    }
    session.add_all(contracts.values())
    session.flush()

    citizens = plan_citizens()
    reports = plan_reports(citizens)
    notices = plan_notices(citizens, reports)
    told = {n.citizen.ref for n in notices if n.kind == "exit"}
    enrolments = {}
    for citizen in citizens:
        enrolment = _refer(session, pseudonym_key, citizen, contracts[citizen.contract])
        if citizen.ref not in told:
            # The exit took effect when the report carrying it was accepted (below).
            enrolment.end_on, enrolment.end_reason = citizen.exit_on, citizen.exit_reason
        enrolments[citizen.ref] = enrolment
    session.flush()

    # The notices are told before the reports that carry their exits are sent.
    _tell_notices(session, contracts, providers, users, notices)
    written = _write_reports(session, contracts, enrolments, users, reports)
    report_count = len(written)
    story.report_events(session, written)
    # The schedule's mornings up to the extension warn of the special efforts' first end.
    story.run_days(session, story.FIRST_RUN, plan.EXTENDED_AT.date() - timedelta(days=1))
    with _stamped(session, plan.EXTENDED_AT):
        _extend_special_effort(session, contracts, users["procurement"])
    material.sign_special_efforts(session, users["procurement"], list(contracts.values()))
    _open_retender(session, contracts, users, providers)
    story.run_days(session, plan.EXTENDED_AT.date(), plan.DEMO_TODAY)
    with _stamped(session, plan.at(plan.DEMO_TODAY, 7)):
        load_peer_packages(session, plan.DEMO_ACTOR)  # Odense and Aarhus (DESIGN.md §12)
    record(
        session,
        plan.DEMO_ACTOR,
        "demo.loaded",
        None,
        None,
        occurred_at=plan.at(plan.DEMO_TODAY, 7),
        as_of=plan.DEMO_TODAY.isoformat(),
        programmes=len(programmes),
        providers=len(providers),
        contracts=len(contracts),
        participants=len(enrolments),
        reports=report_count,
        notices=len(notices),
    )
    session.flush()
    return (
        f"Demo loaded: {len(programmes)} programmes, {len(providers)} providers, "
        f"{len(contracts)} contracts, {len(enrolments)} participants, {report_count} reports, "
        f"{len(notices)} notices (as of {plan.DEMO_TODAY:%d-%m-%Y})."
    )


def _registered_at(key: str) -> datetime:
    """A provider was registered two weeks before its first contract was entered."""
    first = min(
        (plan.SPECIAL_START if c.kind == "special_effort" else plan.FRAMEWORK_START)
        for c in plan.CONTRACTS
        if c.provider == key
    )
    return plan.at(first - timedelta(days=28), 9)


def _tell_notices(
    session: Session, contracts: dict, providers: dict, users: dict, notices: list[NoticePlan]
) -> None:
    """Each notice told by its provider's coordinator and each planned exit confirmed by
    procurement, through the notices service, on the days the plan gives."""
    procurement = Actor(users["procurement"].email, users["procurement"].id)
    provider_user = users["provider"]
    keys = {provider.id: key for key, provider in providers.items()}
    for notice in notices:
        contract = contracts[notice.citizen.contract]
        if contract.provider_id == provider_user.provider_id:
            actor = Actor(provider_user.email, provider_user.id)
        else:  # a coordinator without a demo login
            actor = Actor(f"kontakt@{keys[contract.provider_id]}.demo.dk")
        viewer = Viewer(actor.user_id, "provider", contract.provider_id)
        with _stamped(session, notice.recorded_at):
            told = tell(
                session,
                actor,
                viewer,
                contract.id,
                participant_ref=notice.citizen.ref,
                kind=notice.kind,
                on=notice.on,
                today=notice.on,
                reason=notice.reason,
                hours=notice.hours,
            )
            told.recorded_at = notice.recorded_at
        if notice.confirmed_at is not None:
            with _stamped(session, notice.confirmed_at):
                confirm(session, procurement, told.id, now=notice.confirmed_at)


def _refer(session: Session, key: bytes, citizen: CitizenPlan, contract: Contract) -> Enrolment:
    """Refer a citizen to a contract as the demo's history did; the CPR is dropped here.

    A minimal stand-in for the referral use case: it validates the CPR, keeps only its
    pseudonym, and checks the programme's age rule on the start day.
    """
    compact, born = parse_cpr(citizen.cpr)
    age = age_on(born, citizen.start_on)
    if not age_allowed(contract.programme.age_rule, age):
        raise DomainError(
            N_("age %(age)s does not fit the programme %(code)s"),
            "cpr",
            age=age,
            code=contract.programme.code,
        )
    participant = Participant(
        ref=citizen.ref,
        pseudonym=pseudonym(compact, key),
        created_at=plan.at(citizen.start_on, 9),
    )
    session.add(participant)
    enrolment = Enrolment(
        participant=participant,
        contract=contract,
        start_on=citizen.start_on,
        age_at_start=age,
        created_at=plan.at(citizen.start_on, 9),
    )
    session.add(enrolment)
    return enrolment


def _contract(terms: plan.ContractPlan, programmes, providers) -> Contract:
    special = terms.kind == "special_effort"
    start = plan.SPECIAL_START if special else plan.FRAMEWORK_START
    return Contract(
        reference=terms.reference,
        title=terms.title,
        kind=terms.kind,
        status="active",
        provider=providers[terms.provider],
        programme=programmes[terms.programme],
        start_on=start,
        end_on=plan.SPECIAL_ORIGINAL_END if special else plan.FRAMEWORK_END,
        max_end_on=plan.SPECIAL_EXTENDED_END if special else plan.FRAMEWORK_MAX_END,
        monthly_fee=terms.monthly_fee,
        hourly_rate=terms.hourly_rate,
        outcome_bonus=terms.outcome_bonus,
        vat_rate=Decimal("0.25"),
        ceiling=terms.ceiling,
        created_at=plan.at(start - timedelta(days=14), 9),
    )


def _extend_special_effort(session: Session, contracts: dict, procurement: User) -> None:
    """January 2019: every special-effort agreement extended to the end of its option."""
    actor = Actor(procurement.email, procurement.id)
    for contract in contracts.values():
        if contract.kind != "special_effort":
            continue
        extend(
            session,
            actor,
            contract,
            plan.SPECIAL_EXTENDED_END,
            plan.EXTENSION_REASON,
            today=plan.EXTENDED_AT.date(),
            now=plan.EXTENDED_AT,
        )


def _write_reports(
    session: Session, contracts: dict, enrolments: dict, users: dict, planned: list[ReportPlan]
) -> list[MonthlyReport]:
    """The planned reports, in their planned states; the demo provider user sent its own."""
    provider_user = users["provider"]
    reports = []
    for sent in planned:
        contract = contracts[sent.contract]
        own_provider = contract.provider_id == provider_user.provider_id
        reports.append(
            MonthlyReport(
                contract=contract,
                month=sent.month,
                version=1,
                status=sent.status,
                submitted_at=sent.submitted_at,
                submitted_by_id=provider_user.id if own_provider and sent.submitted_at else None,
                decided_at=sent.decided_at,
                decided_by_id=users["procurement"].id if sent.decided_at else None,
                created_at=sent.saved_at,
                updated_at=sent.decided_at or sent.saved_at,
            )
        )
    session.add_all(reports)
    session.flush()

    rows = []
    for report, sent in zip(reports, planned, strict=True):
        for position, line in enumerate(sent.lines, start=1):
            enrolment = enrolments[line.citizen.ref]
            rows.append(
                {
                    "report_id": report.id,
                    "position": position,
                    "participant_id": enrolment.participant_id,
                    "enrolment_id": enrolment.id,
                    "hours_planned": line.hours_planned,
                    "hours_delivered": line.hours_delivered,
                    "absence_hours": line.absence_hours,
                    "status": "exited" if line.exits else "active",
                    "exit_on": enrolment.end_on if line.exits else None,
                    "exit_reason": enrolment.end_reason if line.exits else None,
                }
            )
    if rows:
        session.execute(sa.insert(ReportLine), rows)
    return reports


def _open_retender(session: Session, contracts: dict, users: dict, providers: dict) -> None:
    """The re-tender under way on 24 January 2019: the four special-effort agreements, one lot per
    programme (youth placement's asking for milestone prices), contracts from 1 September 2019,
    its material put up while a draft, published with
    a deadline on 15 March 2019, then asked about and its material revised (`material`)."""
    from ..tenders import publish, retender, update_lot

    procurement = users["procurement"]
    actor = Actor(procurement.email, procurement.id)
    viewer = Viewer(procurement.id, "procurement")
    special = [c.id for c in contracts.values() if c.kind == "special_effort"]
    with _stamped(session, plan.RETENDER_CREATED_AT):
        tender, _ = retender(
            session,
            actor,
            viewer,
            special,
            plan.RETENDER_CREATED_AT,
            title=plan.RETENDER_TITLE,
            deadline_at=plan.RETENDER_DEADLINE,
        )
        lot = next(x for x in tender.lots if x.programme.code == plan.RETENDER_MILESTONE_LOT)
        update_lot(
            session,
            actor,
            viewer,
            tender.id,
            lot.id,
            plan.RETENDER_MILESTONE_SHARES,
            plan.RETENDER_CREATED_AT,
        )
    material.put_up_material(session, procurement, tender)
    with _stamped(session, plan.RETENDER_PUBLISHED_AT):
        publish(session, actor, viewer, tender.id, plan.RETENDER_PUBLISHED_AT)
    material.questions_and_revision(session, users, providers, tender)
