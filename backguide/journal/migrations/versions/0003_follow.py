"""Which plan versions the person follows: ``plans.follow``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Saving a plan under a name (a routine from the routine builder, a week kept
for later) no longer makes it the plan the check-in asks about: only a
version with ``follow`` true is ever in force.  Every version saved so far
was in force, so each keeps ``follow`` true.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("follow", sa.Boolean(), nullable=False,
                                     server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("follow")
