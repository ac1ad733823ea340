"""the four standard programmes

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# A frozen copy of contracts/rules/programmes.py as it was when this migration was written.
PROGRAMMES = [
    (
        "youth-bridging",
        1,
        "Uddannelsesforløb med opkvalificering for unge under 30 (brobygning med mentor)",
        "Education course with upskilling for young people under 30 (bridging, with mentor)",
        "under_30",
    ),
    (
        "youth-placement",
        2,
        "Uddannelsesforløb med vejledning, opkvalificering og virksomhedspraktik for unge under 30",
        "Education course with guidance, upskilling and company placement for young people under 30",
        "under_30",
    ),
    (
        "adult-employment",
        3,
        "Beskæftigelsesrettet forløb med mentor, vejledning og opkvalificering for aktivitetsparate "
        "på 30 år og derover",
        "Employment course with mentor, guidance and upskilling for citizens aged 30 and over "
        "who are not job-ready",
        "30_and_over",
    ),
    (
        "utility-work",
        4,
        "Nytteindsats eller lignende tilbud i privat regi for alle ydelsesmodtagere",
        "Utility work or similar offers run by private providers, for all benefit recipients",
        "all",
    ),
]

programme = sa.table(
    "programme",
    sa.column("code", sa.String),
    sa.column("position", sa.Integer),
    sa.column("name_da", sa.String),
    sa.column("name_en", sa.String),
    sa.column("age_rule", sa.String),
    sa.column("weekly_hours_ceiling", sa.Numeric),
    sa.column("w_outcome", sa.Numeric),
    sa.column("w_delivery", sa.Numeric),
)


def upgrade():
    op.bulk_insert(
        programme,
        [
            {
                "code": code,
                "position": position,
                "name_da": da,
                "name_en": en,
                "age_rule": rule,
                "weekly_hours_ceiling": 37,
                "w_outcome": 0.6,
                "w_delivery": 0.4,
            }
            for code, position, da, en, rule in PROGRAMMES
        ],
    )


def downgrade():
    op.execute(programme.delete().where(programme.c.code.in_([p[0] for p in PROGRAMMES])))
