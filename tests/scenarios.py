"""Small, named data sets for tests, built through the models as the services would see them.

The sample scenario is the one of `tests/data/samples/README.md`; the accepted sample month is
that scenario copied for several providers, each with the sample report accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.models import Contract, Enrolment, Participant, Provider
from provider_portal.extensions import db
from tests.factories import make_contract, make_report, sample_report

SAMPLE_REFS = ["DL-4Q7K2", "DL-9XW3M", "DL-2HB8R", "DL-7TZ5C", "DL-3PJ6N", "DL-8KD4V", "DL-5MR2F"]


@dataclass
class SampleScenario:
    """The scenario of the sample report files: one adult-employment contract, seven participants."""

    programme_id: int
    provider_id: int
    contract_id: int
    participant_ids: dict[str, int]
    enrolment_ids: dict[str, int]


def sample_scenario(
    session,
    provider_name: str = "Nyt Fodfæste A/S",
    cvr: str = "13585628",
    refs: list[str] = SAMPLE_REFS,
    reference: str = "SÆR-2018-03",
) -> SampleScenario:
    """The contract and participants that `tests/data/samples/README.md` describes."""
    provider = Provider(name=provider_name, cvr=cvr)
    session.add(provider)
    session.flush()
    contract = make_contract(session, provider.id, reference)
    participants, enrolments = {}, {}
    for n, ref in enumerate(refs):
        participant = Participant(ref=ref, pseudonym=f"{cvr}{n:056d}")
        session.add(participant)
        session.flush()
        enrolment = Enrolment(
            participant_id=participant.id,
            contract_id=contract.id,
            start_on=date(2018, 10, 1),
            age_at_start=35,
        )
        session.add(enrolment)
        session.flush()
        participants[ref], enrolments[ref] = participant.id, enrolment.id
    return SampleScenario(contract.programme_id, provider.id, contract.id, participants, enrolments)


def other_provider_scenario(session) -> SampleScenario:
    """Another provider with a contract (SÆR-OTHER) of one participant, DL-AAAAA: what a
    provider's user must never see of."""
    return sample_scenario(
        session,
        provider_name="Anden Leverandør ApS",
        cvr="29403473",
        refs=["DL-AAAAA"],
        reference="SÆR-OTHER",
    )


def accepted_sample_month(app, contracts: int = 1) -> list[int]:
    """`contracts` copies of the sample contract, each with the sample report accepted."""
    ids = []
    with app.app_context():
        for n in range(contracts):
            refs = [f"DL-{n:02d}{ref[5:]}" if n else ref for ref in SAMPLE_REFS]
            cvr = ["13585628", "29403473", "10150817", "25313763", "30060946", "64942212"][n]
            scenario = sample_scenario(
                db.session,
                provider_name=f"Leverandør {n}",
                cvr=cvr,
                refs=refs,
                reference=f"SÆR-{n}",
            )
            data = sample_report()
            for old, new in zip(SAMPLE_REFS, refs, strict=True):
                data = data.replace(old.encode(), new.encode())
            contract = db.session.get(Contract, scenario.contract_id)
            make_report(db.session, contract, data)
            ids.append(contract.id)
        db.session.commit()
    return ids


def scored_sample_month(app, contracts: int = 1) -> list[int]:
    """The accepted sample month with its scores written by the scoring service itself."""
    from contracts.services import scoring

    ids = accepted_sample_month(app, contracts)
    with app.app_context():
        scoring.compute_month(db.session, "2019-01")
        db.session.commit()
    return ids


def counted_from_reports(session, last_month: str) -> tuple[int, int, int, int, int, int]:
    """A plain count from the accepted report lines of every month up to `last_month`:
    participants, active at its end, exits, positive, benefit stopped and other (DESIGN.md §7),
    what the cumulative scores of that month must say."""
    import sqlalchemy as sa

    from contracts.models import MonthlyReport, ReportLine
    from contracts.rules.exits import BENEFIT_STOPPED_EXITS, OTHER_EXITS, POSITIVE_EXITS

    counted = sa.select(MonthlyReport.id).where(
        MonthlyReport.status.in_(("accepted", "invoiced")), MonthlyReport.month <= last_month
    )
    participants = session.scalar(
        sa.select(sa.func.count(sa.distinct(ReportLine.participant_id))).where(
            ReportLine.report_id.in_(counted)
        )
    )
    active = session.scalar(
        sa.select(sa.func.count())
        .select_from(ReportLine)
        .join(MonthlyReport, MonthlyReport.id == ReportLine.report_id)
        .where(ReportLine.report_id.in_(counted), MonthlyReport.month == last_month)
        .where(ReportLine.status == "active")
    )
    reasons = dict(
        session.execute(
            sa.select(ReportLine.exit_reason, sa.func.count())
            .where(ReportLine.report_id.in_(counted), ReportLine.status == "exited")
            .group_by(ReportLine.exit_reason)
        ).all()
    )

    def of(group) -> int:
        return sum(reasons.get(reason, 0) for reason in group)

    exits = sum(reasons.values())
    return (
        participants,
        active,
        exits,
        of(POSITIVE_EXITS),
        of(BENEFIT_STOPPED_EXITS),
        of(OTHER_EXITS),
    )


# Provider B's participants in `two_providers`.
B_REFS = ["DL-B1111", "DL-B2222"]
# A user of each role, as `who`: the own provider's, the other provider's, and staff.
ROLES = {
    "provider": "provider",
    "other": "provider",
    "procurement": "procurement",
    "finance": "finance",
    "admin": "admin",
}


@dataclass(frozen=True)
class TwoProviders:
    """Provider A's sample contract, provider B's, and a user (`who@example.dk`) of each role."""

    a: SampleScenario
    b: SampleScenario
    user_ids: dict[str, int]
    tokens: dict[str, str]


def two_providers(session) -> TwoProviders:
    """What a test of isolation needs: two providers with a contract each, and a user and an
    API token for each of `ROLES`, the provider users A's (`provider`) and B's (`other`)."""
    from contracts.services.accounts import create_token, create_user
    from tests.conftest import TEST_ACTOR, TEST_PASSWORD

    a = sample_scenario(session)
    b = sample_scenario(
        session,
        provider_name="Anden Leverandør ApS",
        cvr="29403473",
        refs=B_REFS,
        reference="SÆR-B",
    )
    providers = {"provider": a.provider_id, "other": b.provider_id}
    user_ids, tokens = {}, {}
    for who, role in ROLES.items():
        user = create_user(
            session, TEST_ACTOR, f"{who}@example.dk", role, TEST_PASSWORD, providers.get(who)
        )
        _, tokens[who] = create_token(session, TEST_ACTOR, user, "test")
        user_ids[who] = user.id
    return TwoProviders(a, b, user_ids, tokens)
