""" "Opgaver" at the top of each role's home page (DESIGN.md §14): what waits for that person now,
counted, linked, and only the viewer's own."""

from __future__ import annotations

from datetime import date

import lxml.html
import sqlalchemy as sa
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry

from contracts.models import Contract
from contracts.services import invoice_steps, reports
from contracts.services.accounts import create_user
from contracts.services.scope import Viewer
from contracts.services.tasks import tasks_for
from provider_portal.extensions import db
from provider_portal.jobs.queues import redis_connection
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.factories import logged_in_client, make_contract, make_report, sample_report
from tests.finance.demo_approvals import ATTESTER
from tests.finance.helpers import at, sample_invoice
from tests.notifications.conftest import PROCUREMENT
from tests.scenarios import sample_scenario

FEB_5 = date(2019, 2, 5)


def tasks_panel(client, url: str) -> lxml.html.HtmlElement:
    page = client.get(url)
    assert page.status_code == 200
    return lxml.html.fromstring(page.get_data(as_text=True)).get_element_by_id("tasks-heading")


def task(panel, kind: str) -> lxml.html.HtmlElement:
    (found,) = panel.getparent().xpath(f".//li[@id='task-{kind}']")
    return found


def words(element) -> str:
    return " ".join(element.text_content().split())


def _two_providers_with_a_rejected_january(app) -> tuple[int, int]:
    """Provider A's January report rejected; provider B's contract with nothing sent."""
    with app.app_context():
        a = sample_scenario(db.session)
        b = sample_scenario(
            db.session, "Anden Leverandør ApS", "29403473", ["DL-B1"], reference="SÆR-B"
        )
        contract = db.session.get(Contract, a.contract_id)
        report = make_report(db.session, contract, sample_report(), status="submitted")
        reports.reject(db.session, PROCUREMENT, report, "Timerne ser for høje ud")
        db.session.commit()
        return a, b


def test_the_provider_sees_its_rejected_and_overdue_reports_and_nothing_of_others(any_app):
    any_app.config["PORTAL_TODAY"] = FEB_5
    a, _ = _two_providers_with_a_rejected_january(any_app)
    client = logged_in_client(any_app, "anna@fodfaeste.dk", "provider", a.provider_id)
    panel = tasks_panel(client, "/provider/")
    assert words(panel) == "Opgaver"
    rejected = task(panel, "reports_rejected")
    assert words(rejected).startswith("1 rapport afvist: ret den og indsend den igen")
    assert rejected.xpath(".//a/@href")[1] == f"/provider/contracts/{a.contract_id}/reports/2019-01"
    assert "SÆR-2018-03, januar 2019" in words(rejected)
    # March to December 2018 were never sent; each was due on the 10th of the month after.
    overdue = task(panel, "reports_overdue")
    assert words(overdue).startswith("10 rapporter er forsinkede")
    assert "SÆR-2018-03, marts 2018 · frist 10-04-2018" in words(overdue)
    assert "SÆR-B" not in words(panel.getparent())


def test_a_month_not_sent_before_its_due_date_is_due_not_overdue(app):
    app.config["PORTAL_TODAY"] = FEB_5
    with app.app_context():
        a = sample_scenario(db.session)
        contract = db.session.get(Contract, a.contract_id)
        make_report(db.session, contract, sample_report(), status="draft")
        db.session.commit()
    client = logged_in_client(app, "anna@fodfaeste.dk", "provider", a.provider_id)
    due = task(tasks_panel(client, "/provider/"), "reports_due")
    assert (
        words(due)
        == "1 rapport skal indsendes denne måned SÆR-2018-03, januar 2019 · frist 10-02-2019"
    )


def test_procurement_sees_reports_to_review_contracts_ending_and_staff_to_approve(app):
    app.config["PORTAL_TODAY"] = date(2019, 7, 1)  # the sample contract ends on 31 August
    with app.app_context():
        a = sample_scenario(db.session)
        contract = db.session.get(Contract, a.contract_id)
        make_report(db.session, contract, sample_report(), status="submitted")
        db.session.commit()
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    with app.app_context():
        for email, inviter in (("ny@example.dk", None), ("min@example.dk", client.user_id)):
            user = create_user(db.session, TEST_ACTOR, email, "finance", TEST_PASSWORD)
            user.is_active, user.awaiting_approval, user.invited_by_id = False, True, inviter
        db.session.commit()
    panel = tasks_panel(client, "/procurement/")
    assert words(task(panel, "reports_to_review")) == "1 rapport til gennemgang"
    ending = task(panel, "contracts_ending")
    assert words(ending) == (
        "1 kontrakt udløber inden for 90 dage uden en afløser SÆR-2018-03 · udløber 31-08-2019"
    )
    assert ending.xpath(".//a/@href")[1] == f"/procurement/contracts/{a.contract_id}"
    # The account this user invited is someone else's to approve.
    staff = task(panel, "staff_to_approve")
    assert words(staff) == "1 medarbejderkonto venter på din godkendelse"
    assert staff.xpath(".//a/@href") == ["/procurement/users"]


def test_finance_sees_invoices_to_approve_and_procurement_no_longer_to_attest(app):
    app.config["PORTAL_TODAY"] = FEB_5
    finance = logged_in_client(app, "okonomi@example.dk", "finance")
    procurement = logged_in_client(app, "indkob@example.dk", "procurement")
    with app.app_context():
        invoice = sample_invoice(db.session)
        db.session.commit()
        invoice_id = invoice.id
    attest = task(tasks_panel(procurement, "/procurement/"), "invoices_to_attest")
    assert words(attest) == "1 faktura eller kreditnota skal attesteres"
    assert words(tasks_panel(finance, "/finance/").getparent()) == (
        "Opgaver Intet venter på dig lige nu."
    )
    with app.app_context():
        invoice_steps.attest(db.session, *ATTESTER, invoice_id, at(FEB_5))
        db.session.commit()
    approve = task(tasks_panel(finance, "/finance/"), "invoices_to_approve")
    assert words(approve) == "1 faktura eller kreditnota skal godkendes"
    assert approve.xpath(".//a/@href") == ["/finance/invoices?status=attested"]
    assert (
        not tasks_panel(procurement, "/procurement/")
        .getparent()
        .xpath(".//li[@id='task-invoices_to_attest']")
    )


def test_the_administrator_sees_the_failed_jobs(app):
    admin = logged_in_client(app, "admin@example.dk", "admin")
    with app.app_context():
        connection = redis_connection()
        job = Job.create("provider_portal.jobs.queues.ping", connection=connection, id="ping-1")
        job.save()
        FailedJobRegistry(queue=Queue("mail", connection=connection)).add(job, ttl=600)
    failed = task(tasks_panel(admin, "/admin/"), "failed_jobs")
    assert words(failed) == "1 fejlet job"
    assert failed.xpath(".//a/@href") == ["/jobs/failed"]


def test_the_tasks_are_a_fixed_number_of_statements_however_many_contracts(any_app):
    with any_app.app_context():
        a = sample_scenario(db.session, refs=["DL-A1"])
        for n in range(3):
            make_contract(db.session, a.provider_id, f"K-{n}")
        db.session.flush()
        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
        provider = tasks_for(db.session, Viewer(None, "provider", a.provider_id), FEB_5)
        assert len(statements) == 2
        assert [t.count for t in provider if t.kind == "reports_overdue"] == [4 * 10]
        for role in ("procurement", "finance", "admin"):
            statements.clear()
            tasks_for(db.session, Viewer(None, role), FEB_5)
            assert len(statements) <= 2, role
