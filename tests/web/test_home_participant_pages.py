"""The provider home page's participants a page at a time (issue 16): a provider of more than a
page's worth sees how many there are in all, one page of them in the order of contract, start and
reference, and the page links; never another provider's participants nor their count."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Enrolment, Participant, Provider
from contracts.services.accounts import create_user
from contracts.services.audit import PARTICIPANTS_READ
from contracts.services.paging import PER_PAGE
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, login
from tests.factories import make_contract
from tests.pages import PageParts, text_of

HOME = "/provider/"
# The own provider's contracts: SÆR-2018-01 sorts first although its refs sort last.
FIRST = [f"DL-Z{n:04d}" for n in range(1, 6)]
SECOND = [f"DL-A{n:04d}" for n in range(1, 61)]
OWN = FIRST + SECOND  # 65: page 1 holds 50, page 2 the other 15
OTHERS = [f"DL-B{n:04d}" for n in range(1, 71)]


def _provider(session, email: str, cvr: str, contracts: dict[str, list[str]]) -> int:
    """A provider, its coordinator `email`, and a contract per reference with those participants,
    each inserted in one statement."""
    provider = Provider(name=f"Leverandør {cvr}", cvr=cvr)
    session.add(provider)
    session.flush()
    for reference, refs in contracts.items():
        contract = make_contract(session, provider.id, reference)
        session.execute(
            sa.insert(Participant),
            [{"ref": ref, "pseudonym": hashlib.sha256(ref.encode()).hexdigest()} for ref in refs],
        )
        ids = session.scalars(sa.select(Participant.id).where(Participant.ref.in_(refs))).all()
        start = date(2018, 10, 1)
        session.execute(
            sa.insert(Enrolment),
            [
                {"participant_id": i, "contract_id": contract.id, "start_on": start}
                | {"age_at_start": 35}
                for i in ids
            ],
        )
    create_user(session, TEST_ACTOR, email, "provider", TEST_PASSWORD, provider.id)
    return provider.id


@pytest.fixture
def own(any_app):
    """The own provider's 65 participants on two contracts; another provider's 70."""
    with any_app.app_context():
        _provider(
            db.session, "egen@example.dk", "13585628", {"SÆR-2018-03": SECOND, "SÆR-2018-01": FIRST}
        )
        _provider(db.session, "anden@example.dk", "29403473", {"SÆR-OTHER": OTHERS})
        db.session.commit()
    client = any_app.test_client()
    assert login(client, "egen@example.dk").status_code == 302
    return client


def _section(response) -> tuple[list[str], str, list[str]]:
    """The participants section as read: its rows' references, its text and its page links."""
    assert response.status_code == 200
    parts = PageParts(response.get_data(as_text=True))
    (section,) = parts.xpath("//section[@aria-labelledby='participants-heading']")
    refs = [text_of(td) for td in section.xpath(".//tbody/tr/td[1]")]
    links = [text_of(a) for a in section.xpath(".//nav//a")]
    return refs, text_of(section), links


def test_page_one_shows_fifty_in_order_with_the_count_and_page_two_the_rest(any_app, own):
    refs, text, links = _section(own.get(HOME))
    assert len(refs) == PER_PAGE
    # By contract reference first (SÆR-2018-01's DL-Z refs), then start, then ref.
    assert refs == (FIRST + SECOND)[:PER_PAGE]
    assert "65 deltagere i alt." in text
    assert "Denne side viser 1–50." in text
    assert links == ["1", "2", "Næste side"]

    refs, text, links = _section(own.get(HOME, query_string={"page": 2}))
    assert refs == OWN[PER_PAGE:]
    assert "65 deltagere i alt." in text and "Denne side viser 51–65." in text
    assert links == ["Forrige side", "1", "2"]
    # What the page showed is what the audit says was read: the rows of page 1, read first.
    with any_app.app_context():
        (event,) = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == PARTICIPANTS_READ)
        ).all()
    assert event.details["page"] == "provider.home" and event.details["count"] == PER_PAGE


def test_another_providers_participants_and_count_never_show(any_app, own):
    pages = [own.get(HOME, query_string={"page": n}) for n in (1, 2, 3)]
    html = [page.get_data(as_text=True) for page in pages]
    assert not any(ref in each for each in html for ref in OTHERS + ["SÆR-OTHER"])
    # The own count only: not 135, the two providers' together, nor the other's 70.
    counts = [_section(page)[1] for page in pages]
    assert all("65 deltagere i alt." in text for text in counts)
    assert not any(n in text for text in counts for n in ("135", "70"))

    other = any_app.test_client()
    assert login(other, "anden@example.dk").status_code == 302
    refs, text, links = _section(other.get(HOME))
    assert refs == OTHERS[:PER_PAGE] and "70 deltagere i alt." in text
    assert not any(ref in text for ref in OWN)


@pytest.mark.parametrize("page", ["abc", "", "-3", "0"])
def test_a_page_that_is_not_a_page_number_is_the_first(own, page):
    refs, text, _links = _section(own.get(HOME, query_string={"page": page}))
    assert refs == OWN[:PER_PAGE] and "Denne side viser 1–50." in text


@pytest.mark.parametrize("page", ["3", "999999999999999999999"])
def test_a_page_past_the_last_is_empty_with_the_count_and_the_page_links(own, page):
    refs, text, links = _section(own.get(HOME, query_string={"page": page}))
    assert refs == []
    assert "65 deltagere i alt." in text and "Denne side har ingen deltagere." in text
    assert ["1", "2"] == [link for link in links if link.isdigit()]


def test_a_provider_of_a_thousand_reads_the_count_in_danish_and_pages_to_the_last(any_app):
    refs = [f"DL-T{n:05d}" for n in range(1, 1021)]
    with any_app.app_context():
        _provider(db.session, "stor@example.dk", "13585628", {"SÆR-STOR": refs})
        db.session.commit()
    client = any_app.test_client()
    assert login(client, "stor@example.dk").status_code == 302
    shown, text, links = _section(client.get(HOME, query_string={"page": 21}))
    assert shown == refs[1000:]
    assert "1.020 deltagere i alt." in text and "Denne side viser 1.001–1.020." in text
    assert links[0] == "Forrige side" and links[-1] == "21"


def test_a_small_provider_sees_every_participant_without_count_or_page_links(any_app):
    with any_app.app_context():
        _provider(db.session, "lille@example.dk", "13585628", {"SÆR-LILLE": SECOND[:PER_PAGE]})
        db.session.commit()
    client = any_app.test_client()
    assert login(client, "lille@example.dk").status_code == 302
    refs, text, links = _section(client.get(HOME))
    assert refs == SECOND[:PER_PAGE]
    assert "i alt" not in text and links == []
