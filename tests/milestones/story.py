"""What the milestone tests share: a contract paid by milestones entered through the API, its
participants referred, and the calls a provider's system and procurement make month by month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask import Flask

from contracts.models import ApiToken
from provider_portal.extensions import db
from tests.pages import PageParts, text_of
from tests.scenarios import two_providers

TERMS = {
    "programme": "adult-employment",
    "kind": "special_effort",
    "start_date": "2019-01-01",
    "end_date": "2019-12-31",
    "max_end_date": "2020-12-31",
    "monthly_fee": "3100.00",
    "hourly_rate": "100.00",
    "outcome_bonus": "2000.00",
    "vat_rate": "0.25",
    "ceiling": "5000000.00",
    "milestones": [
        {"code": "start", "amount": "2000.00"},
        {"code": "week13", "amount": "5000.00"},
        {"code": "week26", "amount": "8000.00"},
    ],
    "clawback_days": 60,
}
# Citizens born in the 1980s (the programme is for 30 and over), one for each part of the story.
CPRS = {f"P{n}": f"{n:02d}0{n}8{n}-1{n}3{n}" for n in range(1, 8)}


def money(value) -> Decimal:
    """Rounded half up to øre, as DESIGN.md §6 says, written independently of the portal."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Story:
    """A contract paid by milestones, its participants' references by name, and tokens."""

    app: Flask
    tokens: dict[str, str]
    contract_id: int = 0
    refs: dict[str, str] = field(default_factory=dict)

    def on(self, day: date) -> None:
        """Move the portal's clock."""
        self.app.config["PORTAL_TODAY"] = day
        self.app.config.pop("PORTAL_NOW", None)

    def call(self, method: str, url: str, who: str, body=None):
        response = self.app.test_client().open(
            f"/api/v1{url}",
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {self.tokens[who]}"},
        )
        return response.status_code, response.get_json()

    def claim(self, name: str, milestone: str, started_on: str, **evidence):
        return self.call(
            "POST",
            f"/contracts/{self.contract_id}/claims",
            "provider",
            {
                "participant_ref": self.refs[name],
                "milestone": milestone,
                "evidence": {
                    "employer_cvr": "10403782",
                    "started_on": started_on,
                    "weekly_hours": "37.00",
                    **evidence,
                },
            },
        )

    def relapse(self, name: str, day: str, who: str = "provider"):
        return self.call(
            "POST",
            f"/contracts/{self.contract_id}/relapses",
            who,
            {"participant_ref": self.refs[name], "date": day},
        )


def new_story(app: Flask) -> Story:
    """Providers, users and tokens (tests.scenarios.two_providers), then the contract entered
    and seven citizens referred through the API on 1 January 2019."""
    with app.app_context():
        world = two_providers(db.session)
        # The story runs through 2019: its systems' tokens last the year (the default is 90 days).
        db.session.execute(sa.update(ApiToken).values(expires_on=date(2019, 12, 31)))
        db.session.commit()
        provider_id = world.a.provider_id
    story = Story(app, world.tokens)
    story.on(date(2019, 1, 1))
    status, contract = story.call(
        "POST", "/contracts", "procurement", {"provider_id": provider_id, **TERMS}
    )
    assert status == 201, contract
    story.contract_id = contract["id"]
    for name, cpr in CPRS.items():
        status, body = story.call(
            "POST",
            "/referrals",
            "procurement",
            {"cpr": cpr, "contract_id": story.contract_id, "start_date": "2019-01-01"},
        )
        assert status == 201, body
        story.refs[name] = body["participant_ref"]
    return story


def submit_month(story, month: str, lines: list[dict], day: date) -> str:
    """The provider sends the month's report; the report's address on the API."""
    story.on(day)
    url = f"/contracts/{story.contract_id}/reports/{month}"
    status, body = story.call("PUT", url, "provider", {"lines": lines})
    assert status == 200, body
    assert story.call("POST", url + "/submit", "provider")[0] == 200
    return url


def report_month(story, month: str, lines: list[dict], day: date) -> None:
    """The provider sends the month's report and procurement accepts it."""
    url = submit_month(story, month, lines, day)
    assert story.call("POST", url + "/accept", "procurement")[0] == 200


def line(ref: str, exit_date: str | None = None, reason: str = "job") -> dict:
    exited = exit_date is not None
    return {
        "participant_ref": ref,
        "hours_planned": "10.00",
        "hours_delivered": "10.00",
        "status": "exited" if exited else "active",
        "exit_date": exit_date,
        "exit_reason": reason if exited else None,
    }


def january_exits(story) -> None:
    """P1 leaves for a job on 15 January, P3 for education on 31 January; the rest stay."""
    exits = {"P1": "2019-01-15", "P3": "2019-01-31"}
    reasons = {"P3": "education"}
    report_month(
        story,
        "2019-01",
        [line(ref, exits.get(name), reasons.get(name, "job")) for name, ref in story.refs.items()],
        date(2019, 2, 1),
    )


@dataclass(frozen=True)
class Preview:
    """What procurement's review page says a report will invoice."""

    amounts: dict[str, str]  # net, vat, total as the page writes them
    lines: list[tuple[str, str, str, str]]  # participant name, item, its words, amount
    credits: int  # credit notes for the month's invoices


def previewed(client, story, month: str) -> Preview:
    """Procurement's review page of the month's report, read as a reviewer reads it."""
    response = client.get(f"/procurement/contracts/{story.contract_id}/reports/{month}")
    assert response.status_code == 200
    [section] = PageParts(response.get_data(as_text=True)).xpath("//section[@id='invoice-preview']")
    names = {ref: name for name, ref in story.refs.items()}
    return Preview(
        amounts={c.get("data-amount"): text_of(c) for c in section.xpath(".//*[@data-amount]")},
        lines=sorted(
            (
                names[text_of(row.xpath("th")[0])],
                row.get("data-item"),
                text_of(row.xpath("td")[0]),
                text_of(row.xpath("td")[-1]),
            )
            for row in section.xpath(".//tr[@data-item]")
        ),
        credits=len(section.xpath(".//tr[@data-row='credit']")),
    )
