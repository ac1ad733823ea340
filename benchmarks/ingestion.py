"""Report ingestion: a 10,000-line CSV read, checked and stored, against a bare csv + executemany."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from .common import best_of, result_line, sqlite_app

LINES = 10_000
MONTH = "2019-01"


def make_csv(refs: list[str]) -> bytes:
    """A Danish Excel report: `;`, decimal comma, Danish headers, a few exits."""
    out = ["deltager;timer_planlagt;timer_leveret;fravær_timer;status;afgangsdato;afgangsårsag"]
    for n, ref in enumerate(refs):
        # Hours in quarter hours, varied as real reports are.
        planned = 148 - (n % 300) / 4
        delivered = planned - (n % 37) / 4
        absence = planned - delivered
        cells = [
            f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",")
            for v in (planned, delivered, absence)
        ]
        if n % 25 == 0:
            out.append(f"{ref};74;60,5;13,5;afgået;16-01-2019;job")
        else:
            out.append(f"{ref};{';'.join(cells)};aktiv;;")
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


def seed(app) -> list[str]:
    """One contract with LINES enrolled participants, by bulk insert."""
    from contracts.models import Contract, Enrolment, Participant, Programme, Provider
    from provider_portal.extensions import db

    with app.app_context():
        programme = db.session.scalar(
            sa.select(Programme).where(Programme.code == "adult-employment")
        )
        provider = Provider(name="Bench A/S", cvr="13585628")
        db.session.add(provider)
        db.session.flush()
        contract = Contract(
            reference="B-1",
            provider_id=provider.id,
            programme_id=programme.id,
            kind="special_effort",
            start_on=date(2018, 1, 1),
            end_on=date(2019, 12, 31),
            max_end_on=date(2019, 12, 31),
            monthly_fee=Decimal("9500"),
            hourly_rate=Decimal("45"),
            outcome_bonus=Decimal("15000"),
            ceiling=Decimal("1e9"),
        )
        db.session.add(contract)
        db.session.flush()
        refs = [f"DL-{n:06d}" for n in range(LINES)]
        db.session.execute(
            sa.insert(Participant),
            [{"id": n + 1, "ref": r, "pseudonym": f"{n:064d}"} for n, r in enumerate(refs)],
        )
        db.session.execute(
            sa.insert(Enrolment),
            [
                {
                    "id": n + 1,
                    "participant_id": n + 1,
                    "contract_id": contract.id,
                    "start_on": date(2018, 6, 1),
                    "age_at_start": 40,
                }
                for n in range(LINES)
            ],
        )
        db.session.commit()
    return refs


def run() -> list[str]:
    from contracts.models import Contract
    from contracts.rules.report_format import read_csv
    from contracts.services import reports
    from contracts.services.audit import Actor
    from provider_portal.extensions import db

    with sqlite_app() as (app, path):
        refs = seed(app)
        data = make_csv(refs)
        pristine = path.with_suffix(".pristine")
        with app.app_context():
            db.engine.dispose()
        shutil.copyfile(path, pristine)

        def fresh():
            with app.app_context():
                db.engine.dispose()
            shutil.copyfile(pristine, path)

        def program(_):
            with app.app_context():
                contract = db.session.get(Contract, 1)
                reports.save_draft(
                    db.session,
                    Actor("bench"),
                    contract,
                    MONTH,
                    read_csv(data),
                    date(2019, 2, 5),
                    "bench",
                )
                db.session.commit()

        def floor(_):
            # The barest way: decode, csv parse, look the participant up, executemany, commit.
            rows = list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))[1:]
            connection = sqlite3.connect(path)
            ids = dict(connection.execute("SELECT ref, id FROM participant"))
            connection.execute(
                "INSERT INTO monthly_report (contract_id, month, version, status, created_at,"
                " updated_at) VALUES (1, ?, 1, 'draft', '2019-02-05', '2019-02-05')",
                (MONTH,),
            )
            connection.executemany(
                "INSERT INTO report_line (report_id, position, participant_id, enrolment_id, hours_planned,"
                " hours_delivered, absence_hours, status, exit_on, exit_reason)"
                " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        n,
                        ids[r[0]],
                        ids[r[0]],
                        r[1].replace(",", "."),
                        r[2].replace(",", "."),
                        r[3].replace(",", "."),
                        "exited" if r[4] != "aktiv" else "active",
                        "2019-01-16" if r[5] else None,
                        r[6] or None,
                    )
                    for n, r in enumerate(rows, 1)
                ],
            )
            connection.commit()
            connection.close()

        program_s = best_of(3, fresh, program)
        floor_s = best_of(3, fresh, floor)
    return [result_line("report ingestion (sqlite)", f"{LINES} lines", program_s, floor_s)]
