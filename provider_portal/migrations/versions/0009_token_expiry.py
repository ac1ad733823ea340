"""API tokens expire: each token works up to its expiry day, at most a year after it was made

Revision ID: 0009
Revises: 0008

Tokens made before this revision never expired; they get 90 days from the upgrade (the default
for a new token), not from when they were made, so an upgrade does not cut off a running
integration without warning: its owner sees the date on the token page and makes a new one.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

GRACE = timedelta(days=90)


def upgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_on", sa.Date(), nullable=True))
    token = sa.table("api_token", sa.column("expires_on", sa.Date()))
    op.execute(token.update().values(expires_on=date.today() + GRACE))
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column("expires_on", existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_on")
