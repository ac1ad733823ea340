"""The provider sessions of `make load` (run by locust in a process of its own, as gevent wants).

Each simulated person is one provider's coordinator: logs in through the login form, then
browses the home page, the invoices and the month's report page (and now and then its web form,
a page of its own for a month this large), downloads the report template,
and now and then uploads the month's report through the page (CSRF token and all). The accounts
come from the JSON file LOAD_ACCOUNTS names (benchmarks.load writes it); each person takes the
next account, so sessions never share a provider, and sends its report once on arrival.

Each upload is written to the ledger LOAD_UPLOADS names, when sent and when answered: locust
records only answered requests, and one still on its way when the run stops is finished by the
server all the same, so the reports stored are counted against the uploads sent and answered.

Every request's start, kind, time and outcome, and when each session had arrived (logged in and
sent its first report), are written to LOAD_TIMINGS at the end, so benchmarks.load_figures can
tell the browsing once everyone is in from the arrivals' logins and first uploads.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time

from locust import HttpUser, between, events, task

_ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
_NEXT = itertools.count()
_LEDGER = os.environ["LOAD_UPLOADS"]
_TIMINGS = os.environ["LOAD_TIMINGS"]
_REQUESTS: list[tuple[float, str, float, bool]] = []
_ARRIVALS: list[float] = []
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _token(html: str) -> str:
    match = _CSRF.search(html)
    if match is None:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


def _problems(html: str) -> str:
    """The page's own words for what was wrong (its error notices and problem list)."""
    table = html.partition('class="data file-problems"')[2].partition("</table>")[0]
    found = re.findall(r'class="notice notice-error"[^>]*>(.*?)</', html, re.S)
    found += re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    text = "; ".join(" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found)
    if not text:
        main = html.partition("<main")[2].partition("</main>")[0]
        text = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    return text[:600]


@events.request.add_listener
def _timed(name: str, response_time: float, exception=None, **_kwargs) -> None:
    _REQUESTS.append((time.time() - response_time / 1000, name, response_time, exception is None))


@events.quitting.add_listener
def _write_timings(**_kwargs) -> None:
    with open(_TIMINGS, "w", encoding="utf-8") as file:
        json.dump({"arrivals": _ARRIVALS, "requests": _REQUESTS}, file)


class Coordinator(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        account = _ACCOUNTS["people"][next(_NEXT) % len(_ACCOUNTS["people"])]
        self.account = account
        self.report_path = (
            f"/provider/contracts/{account['contract_id']}/reports/{_ACCOUNTS['month']}"
        )
        page = self.client.get("/login", name="page: login")
        answer = self.client.post(
            "/login",
            data={
                "email": account["email"],
                "password": _ACCOUNTS["password"],
                "csrf_token": _token(page.text),
            },
            name="login",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            answer.failure(f"login answered {answer.status_code}")
        # Every session sends its report once at least, so the reports stored can be counted
        # against the sessions.
        self.upload()
        _ARRIVALS.append(time.time())

    @task(5)
    def home(self) -> None:
        self.client.get("/provider/", name="page: home")

    @task(3)
    def invoices(self) -> None:
        self.client.get("/provider/invoices", name="page: invoices")

    @task(3)
    def report(self) -> None:
        self.client.get(self.report_path, name="page: report")

    @task(1)
    def report_form(self) -> None:
        # A large month's web form is a page of its own (issue 16): opened now and then, as most
        # coordinators of many participants upload a file instead.
        self.client.get(f"{self.report_path}/form", name="page: report form")

    @task(2)
    def template(self) -> None:
        self.client.get(f"{self.report_path}/template.csv", name="download: report template")

    @task(1)
    def upload(self) -> None:
        page = self.client.get(self.report_path, name="page: report")
        self.note("sent")
        with self.client.post(
            f"{self.report_path}/upload",
            data={"csrf_token": _token(page.text)},
            files={"file": ("rapport.csv", self.account_csv(), "text/csv")},
            name="upload: report",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            # A stored report answers by sending the person to its page.
            if answer.status_code == 302:
                answer.success()
                self.note("stored")
            else:
                answer.failure(f"upload answered {answer.status_code}: {_problems(answer.text)}")

    def note(self, what: str) -> None:
        """One line in the uploads' ledger (appends of one short line each do not interleave)."""
        with open(_LEDGER, "a", encoding="utf-8") as ledger:
            ledger.write(f"{what} {self.account['contract_id']}\n")

    def account_csv(self) -> bytes:
        return self.account["csv"].encode("cp1252")
