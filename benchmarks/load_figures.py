"""The figures `make load` prints (benchmarks/load.py): locust's percentiles per kind of
request, what failed, the uploads sent and answered against the reports stored, and the month's
invoices."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import sqlalchemy as sa

from benchmarks.load_cpu import summary as cpu_summary

MONTH = "2019-01"  # aggregated while people work
UPLOAD_MONTH = "2019-02"  # the month the coordinators report
PAGE_P95_TARGET_MS = 200


def locust_failures(prefix: Path) -> list[str]:
    """What failed, as locust saw it: kind, error and how often."""
    with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
        return [f"{r['Name']}: {r['Error']} ({r['Occurrences']}x)" for r in csv.DictReader(file)]


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest time that `share` of the requests took at most."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def _by_kind(requests: list) -> dict:
    """Percentiles (exact, nearest rank), requests and failures per kind of request."""
    times: dict[str, list[float]] = {}
    failures: dict[str, int] = {}
    for _started, name, took, ok in requests:
        times.setdefault(name, []).append(took)
        failures[name] = failures.get(name, 0) + (not ok)
    kinds = {}
    for name, took in times.items():
        took.sort()
        kinds[name] = {
            "requests": len(took),
            "failures": failures[name],
            **{f"p{p}": _percentile(took, p / 100) for p in (50, 95, 99)},
        }
    return kinds


def timings(path: Path, users: int, month: tuple[float, float] | None = None) -> dict:
    """From the sessions' own record of every request (benchmarks/locustfile.py; locust's CSV
    misses those that end while the sessions stop): the figures per kind of the whole run
    (`kinds`), those once every session had arrived (logged in and sent its first report;
    `arrived`), and those of the requests started while the month was aggregated (`month`,
    given its start and end in seconds since the epoch). The arrivals, 50 logins and 50 whole
    reports, are in the first only; the second is the browsing that follows."""
    record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    arrivals, requests = record.get("arrivals", []), record.get("requests", [])
    first = min((started for started, *_ in requests), default=0.0)
    figures = {"kinds": _by_kind(requests)}
    if len(arrivals) < users or not requests:
        figures["arrived"] = {"sessions": len(arrivals), "after_seconds": None, "kinds": {}}
    else:
        since = max(arrivals)
        figures["arrived"] = {
            "sessions": len(arrivals),
            "after_seconds": since - first,
            "kinds": _by_kind([r for r in requests if r[0] >= since]),
        }
    if month is not None:
        during = [r for r in requests if month[0] <= r[0] <= month[1]]
        figures["during_month"] = {
            "from_seconds": month[0] - first,
            "seconds": month[1] - month[0],
            "kinds": _by_kind(during),
        }
    return figures


def _kind_lines(kinds: dict) -> list[str]:
    return [
        f"  {name:28} {kind['requests']:6d} requests  p50 {kind['p50']:6.0f} ms  "
        f"p95 {kind['p95']:6.0f} ms  p99 {kind['p99']:6.0f} ms  failures {kind['failures']}"
        for name, kind in sorted(kinds.items())
    ]


def _worst_page(kinds: dict) -> float:
    return max((k["p95"] for n, k in kinds.items() if n.startswith("page: ")), default=0.0)


def _worst_line(kinds: dict) -> str:
    return f"worst page p95 {_worst_page(kinds):.0f} ms (target {PAGE_P95_TARGET_MS} ms)"


def _period(title: str, kinds: dict) -> list[str]:
    """A period's heading, its lines per kind, and its worst page."""
    return [f"  {title}:", *_kind_lines(kinds), f"  {_worst_line(kinds)}"]


def stored_reports(app, accounts: dict) -> dict:
    """The reports of the uploaded month: for which contracts, how many twice, how many not
    whole."""
    from contracts.models import MonthlyReport, ReportLine
    from provider_portal.extensions import db

    expected = {p["contract_id"]: p["lines"] for p in accounts["people"]}
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                MonthlyReport.contract_id,
                sa.func.count(sa.distinct(MonthlyReport.id)),
                sa.func.count(ReportLine.id),
            )
            .outerjoin(ReportLine, ReportLine.report_id == MonthlyReport.id)
            .where(MonthlyReport.month == UPLOAD_MONTH)
            .group_by(MonthlyReport.contract_id)
        ).all()
    return {
        "reports": len(rows),
        "contracts": sorted(c for c, _r, _l in rows),
        "twice": sum(1 for _c, reports, _l in rows if reports > 1),
        "not_whole": sum(1 for c, reports, lines in rows if lines != expected[c] * reports),
    }


def uploads_sent(ledger: Path) -> dict:
    """The uploads' ledger the sessions wrote: the contracts whose report was sent, and those
    whose upload was answered as stored."""
    sent, answered = set(), set()
    if ledger.exists():
        for line in ledger.read_text(encoding="utf-8").splitlines():
            what, _, contract = line.partition(" ")
            (sent if what == "sent" else answered).add(int(contract))
    return {"sent": sorted(sent), "answered": sorted(answered)}


def accounted(uploads: dict, stored: dict) -> dict:
    """Every report answered as stored is stored, and every one stored was sent; those stored
    without an answer were on their way when the sessions stopped."""
    sent, answered, kept = set(uploads["sent"]), set(uploads["answered"]), set(stored["contracts"])
    return {
        "answered_not_stored": len(answered - kept),
        "stored_not_sent": len(kept - sent),
        "in_flight_at_stop": len(kept - answered),
    }


def invoiced(app, contracts: list[int]) -> dict:
    from contracts.models import Invoice
    from provider_portal.extensions import db

    with app.app_context():
        per_contract = db.session.execute(
            sa.select(Invoice.contract_id, sa.func.count())
            .where(Invoice.month == MONTH)
            .group_by(Invoice.contract_id)
        ).all()
    return {
        "contracts": len(contracts),
        "invoiced": len(per_contract),
        "invoiced_twice": sum(1 for _c, n in per_contract if n > 1),
    }


def collect(
    app,
    accounts: dict,
    prefix: Path,
    ledger: Path,
    record: Path,
    month: tuple[float, float] | None = None,
) -> dict:
    """The figures per kind of request, of the whole run, once everyone had arrived and while
    the month was aggregated, what failed as locust saw it, and the reports sent, answered and
    stored."""
    periods = timings(record, len(accounts["people"]), month)
    kinds = periods["kinds"]
    uploads, stored = uploads_sent(ledger), stored_reports(app, accounts)
    requests = sum(k["requests"] for k in kinds.values())
    failures = sum(k["failures"] for k in kinds.values())
    upload = kinds.get("upload: report", {})
    return {
        **periods,
        "requests": requests,
        "failures": failures,
        "failed": locust_failures(prefix),
        "error_rate": failures / requests if requests else 1.0,
        "uploads_answered": upload.get("requests", 0) - upload.get("failures", 0),
        "uploads": uploads,
        "stored": stored,
        "accounted": accounted(uploads, stored),
    }


def report(figures: dict) -> list[str]:
    """The lines `make load` prints."""
    month = figures["month"]
    meanwhile = (
        f"a month of {month['contracts']} contracts aggregated by "
        f"{figures['aggregation_workers']} RQ workers (nice {figures['nice']}), asked for once "
        "every session had sent its report"
        if month
        else "no month aggregated meanwhile"
    )
    lines = [
        f"load: {figures['users']} provider sessions ({figures['spawn_rate']:g} arriving a second) "
        f"for {figures['seconds']} s against gunicorn "
        f"({figures['web_workers']} workers of {figures['web_threads']} threads) on PostgreSQL, {meanwhile}"
    ]
    lines.append(
        "  the whole run, the sessions' arrivals (login and a first upload each) included:"
    )
    lines += _kind_lines(figures["kinds"])
    lines.append(
        f"  error rate {figures['error_rate']:.2%} ({figures['failures']} of "
        f"{figures['requests']}); {_worst_line(figures['kinds'])}"
    )
    lines += [f"  failed: {failure}" for failure in figures["failed"]]
    steady = figures["arrived"]
    if steady["after_seconds"] is None:
        lines.append(f"  only {steady['sessions']} of {figures['users']} sessions arrived")
    else:
        title = (
            f"once all {steady['sessions']} sessions had arrived "
            f"({steady['after_seconds']:.1f} s in) to the end"
        )
        lines += _period(title, steady["kinds"])
    during = figures.get("during_month")
    if during:
        title = (
            f"while the month was aggregated ({during['seconds']:.1f} s, "
            f"from {during['from_seconds']:.1f} s in)"
        )
        lines += _period(title, during["kinds"])
    stored, uploads, accounted = figures["stored"], figures["uploads"], figures["accounted"]
    lines.append(
        f"  uploads answered {figures['uploads_answered']} (sessions that sent one "
        f"{len(uploads['sent'])}, answered {len(uploads['answered'])}); February reports stored "
        f"{stored['reports']}, stored twice {stored['twice']}, not whole {stored['not_whole']}; "
        f"answered but not stored {accounted['answered_not_stored']}, stored but never sent "
        f"{accounted['stored_not_sent']}, stored while their answer was on its way at the stop "
        f"{accounted['in_flight_at_stop']}"
    )
    lines += cpu_summary(figures["cpu"])
    if month:
        lines.append(
            f"  month: {month['invoiced']} of {month['contracts']} contracts invoiced, "
            f"{month['invoiced_twice']} twice, in {month['seconds'] or float('nan'):.1f} s"
        )
    return lines
