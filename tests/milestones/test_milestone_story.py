"""Ten months of a contract paid by milestones, through the API (issue 20's "Done when").

Seven citizens are referred on 1 January 2019 to a contract paying 3,100.00 a month, 100.00 an
hour, 2,000.00 at the exit to a job or education (start), 5,000.00 when it lasted 13 weeks and
8,000.00 when it lasted 26, and taking back a milestone paid within 60 days before a relapse.

- P1: job from 16 January; week 13 claimed 20 April, drawn for a check, verified 3 May (paid in
  May); week 26 claimed 20 July (paid in July). Kept.
- P2: job from 11 February; week 13 claimed 15 May, checked and rejected 20 May: never paid.
- P3: education from 1 February; week 13 claimed 6 May (paid in May), found false and rejected
  10 June: taken back in June.
- P4: job from 16 March; week 13 (15 June) claimed 16 June and waiting for its check; a relapse
  on 31 May is recorded 18 June: the milestone was never reached, and its verification the next
  day pays nothing; week 26 is refused. The start (15 March, 77 days before) is kept.
- P5: job from 1 March; week 13 (31 May) claimed 3 June (paid in June); a relapse on 5 July,
  recorded 10 July, 35 days after: taken back once, in July.
- P6: job from 21 January; week 13 (22 April) claimed 25 April (paid in April); a relapse on
  1 August, 101 days after: kept.
- P7: active all ten months.

Every line delivers 10 hours. Each month is aggregated twice on a real worker; every invoice's
net, VAT and total are checked against the amounts computed below, to the øre, and against what
procurement's review page said the report would invoice before accepting it.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from contracts.documents.formatting import money as written
from tests.conftest import login
from tests.jobs.workers import start_worker, stop_worker
from tests.milestones.story import line, money, new_story, previewed, submit_month

FEE, HOURS, START, WEEK13, WEEK26 = (Decimal(v) for v in ("3100", "1000", "2000", "5000", "8000"))
MONTHS = [f"2019-{m:02d}" for m in range(1, 11)]
DAYS_IN = {"2019-01": 31, "2019-02": 28, "2019-03": 31}
# Exits: (name, day of the month, reason).
EXITS = {
    "2019-01": [("P1", 15, "job"), ("P3", 31, "education"), ("P6", 20, "job")],
    "2019-02": [("P2", 10, "job"), ("P5", 28, "job")],
    "2019-03": [("P4", 15, "job")],
}


def base(days: int, in_month: int) -> Decimal:
    return money(FEE * days / in_month)


# The nets written out by hand: each participant's month (base by days + 10 hours + start at a
# job or education), milestones paid, milestones taken back.
EXPECTED_NET = {
    "2019-01": (base(15, 31) + HOURS + START)  # P1
    + (FEE + HOURS + START)  # P3, education on the 31st
    + (base(20, 31) + HOURS + START)  # P6
    + 4 * (FEE + HOURS),  # P2, P4, P5, P7
    "2019-02": (base(10, 28) + HOURS + START)  # P2
    + (FEE + HOURS + START)  # P5, on the 28th
    + 2 * (FEE + HOURS),  # P4, P7
    "2019-03": (base(15, 31) + HOURS + START) + (FEE + HOURS),  # P4; P7
    "2019-04": (FEE + HOURS) + WEEK13,  # P7; P6's week 13
    "2019-05": (FEE + HOURS) + WEEK13 + WEEK13,  # P1 verified, P3 on its word
    "2019-06": (FEE + HOURS) + WEEK13 - WEEK13,  # P5 paid; P3 taken back
    "2019-07": (FEE + HOURS) + WEEK26 - WEEK13,  # P1's week 26; P5 taken back
    "2019-08": FEE + HOURS,  # P6's relapse is outside the window
    "2019-09": FEE + HOURS,
    "2019-10": FEE + HOURS,
}


def _events(story, month: str) -> None:
    """What happens during the month, in the order of its days."""
    app = story.app

    def on(day: int, share: str | None = None) -> None:
        story.on(date(2019, int(month[5:]), day))
        if share is not None:
            app.config["CLAIM_CHECK_SHARE"] = share

    def claimed(name: str, milestone: str, started_on: str) -> dict:
        status, claim = story.claim(name, milestone, started_on)
        assert status == 201, claim
        return claim

    def decide(claim: dict, action: str, **body) -> dict:
        status, decided = story.call(
            "POST", f"/claims/{claim['id']}/{action}", "procurement", body or None
        )
        assert status == 200, decided
        return decided

    if month == "2019-04":
        on(20, "1")
        story.p1 = claimed("P1", "week13", "2019-01-16")
        assert story.p1["check_required"] and story.p1["payable_on"] is None
        on(25, "0")
        claimed("P6", "week13", "2019-01-21")
    elif month == "2019-05":
        on(3)
        decide(story.p1, "verify")
        on(6, "0")
        story.p3 = claimed("P3", "week13", "2019-02-01")
        on(15, "1")
        p2 = claimed("P2", "week13", "2019-02-11")
        on(20)
        decide(p2, "reject", reason="Arbejdsgiveren kender ikke borgeren.")
    elif month == "2019-06":
        on(3, "0")
        claimed("P5", "week13", "2019-03-01")
        on(10)
        decide(story.p3, "reject", reason="Uddannelsen blev aldrig påbegyndt.")
        on(16, "1")
        p4 = claimed("P4", "week13", "2019-03-16")
        on(18)
        assert story.relapse("P4", "2019-05-31")[0] == 201
        on(19)
        assert decide(p4, "verify")["lapsed"] is True
    elif month == "2019-07":
        on(10)
        assert story.relapse("P5", "2019-07-05", who="procurement")[0] == 201
        on(20, "0")
        claimed("P1", "week26", "2019-01-16")
    elif month == "2019-08":
        on(12)
        assert story.relapse("P6", "2019-08-01")[0] == 201
    elif month == "2019-09":
        on(20)
        status, refused = story.claim("P4", "week26", "2019-03-16")
        assert status == 422 and "never reached" in refused["errors"][0]["message"]


def _aggregate(story, month: str) -> None:
    status, started = story.call("POST", "/aggregations", "finance", {"month": month})
    assert status == 202, started
    deadline = time.monotonic() + 90
    while True:
        status, job = story.call("GET", f"/jobs/{started['job_id']}", "finance")
        assert status == 200, job
        if job["status"] in ("finished", "failed"):
            break
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["status"] == "finished", job


def _invoices(story, month: str) -> list[dict]:
    status, listed = story.call(
        "GET", f"/invoices?contract_id={story.contract_id}&month={month}", "finance"
    )
    assert status == 200, listed
    return listed["items"]


def test_ten_months_of_milestones_claims_and_relapses_invoice_to_the_ore(any_app):
    story = new_story(any_app)
    config = any_app.config
    worker = start_worker(
        config["DATABASE_URL"], config["REDIS_URL"], "aggregation", today="2019-11-30"
    )
    reviewer = any_app.test_client()
    assert login(reviewer, "procurement@example.dk").status_code == 302
    shown = {}
    try:
        left = set(story.refs)
        for month in MONTHS:
            _events(story, month)
            exits = {name: (day, reason) for name, day, reason in EXITS.get(month, [])}
            lines = [
                line(story.refs[name], f"{month}-{exits[name][0]:02d}", exits[name][1])
                if name in exits
                else line(story.refs[name])
                for name in sorted(left)
            ]
            following = date(2019, int(month[5:]) + 1, 1)
            url = submit_month(story, month, lines, following)
            shown[month] = previewed(reviewer, story, month)
            assert story.call("POST", url + "/accept", "procurement")[0] == 200
            left -= set(exits)
            _aggregate(story, month)
            [invoice] = _invoices(story, month)
            net = EXPECTED_NET[month]
            vat = money(net * Decimal("0.25"))
            assert (invoice["net"], invoice["vat"], invoice["total"]) == (
                f"{net:.2f}",
                f"{vat:.2f}",
                f"{net + vat:.2f}",
            ), month
            # The reviewer saw this invoice, milestones and clawbacks included, to the øre.
            assert shown[month].amounts == {
                "net": written(net, "da"),
                "vat": written(vat, "da"),
                "total": written(net + vat, "da"),
            }, month
            # Asked again, as finance may: the same one invoice, nothing added.
            _aggregate(story, month)
            assert _invoices(story, month) == [invoice], month
    finally:
        stop_worker(worker)
    # Seven claims, paged on the server; the other provider sees none of them.
    status, page = story.call("GET", "/claims?per_page=2&page=4", "procurement")
    assert (page["total"], page["pages"], len(page["items"])) == (7, 4, 1)
    assert story.call("GET", "/claims", "other")[1]["total"] == 0
    refs = {ref: name for name, ref in story.refs.items()}
    status, june = story.call(
        "GET", f"/invoices/{_invoices(story, '2019-06')[0]['id']}", "provider"
    )
    taken = [
        (refs[x["participant_ref"]], x["item"], x["amount"])
        for x in june["lines"]
        if x["item"] != "month"
    ]
    assert sorted(taken) == [("P3", "clawback_week13", "-5000.00"), ("P5", "week13", "5000.00")]
    # The reviewer saw the same lines before accepting.
    assert [(n, item, amount) for n, item, _, amount in shown["2019-06"].lines] == [
        ("P3", "clawback_week13", "-5.000,00"),
        ("P5", "week13", "5.000,00"),
    ]
    assert [(n, item, amount) for n, item, _, amount in shown["2019-07"].lines] == [
        ("P1", "week26", "8.000,00"),
        ("P5", "clawback_week13", "-5.000,00"),
    ]
    assert shown["2019-08"].lines == []
    status, july = story.call(
        "GET", f"/invoices/{_invoices(story, '2019-07')[0]['id']}", "provider"
    )
    taken = [
        (refs[x["participant_ref"]], x["item"], x["amount"])
        for x in july["lines"]
        if x["item"] != "month"
    ]
    assert sorted(taken) == [("P1", "week26", "8000.00"), ("P5", "clawback_week13", "-5000.00")]
    # The provider's invoice page names the lines in Danish.
    client = any_app.test_client()
    assert login(client, "provider@example.dk").status_code == 302
    page = client.get(f"/provider/invoices/{july['id']}").get_data(as_text=True)
    assert "Milepæl: 26 uger" in page and "Tilbageført: 13 uger" in page
