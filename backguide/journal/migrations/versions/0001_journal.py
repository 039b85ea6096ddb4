"""The journal: people, plan versions and their entries, sessions done, pain,
the PEG, the PSFS, warning signs, and which plan files were imported.

Revision ID: 0001
Revises:
Create Date: 2026-01-05

The tables as ``backguide/journal/models.py`` declares them at this
revision, spelt out, so that later changes to the models never change what
this migration does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STATUSES = ("done", "partly", "skipped")
FEELINGS = ("easier", "about right", "harder", "hurt more")
PEG_ITEMS = ("pain", "enjoyment", "activity")


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _score(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} BETWEEN 0 AND 10", name=f"ck_{table}_{column}")


def _person(table: str) -> list:
    return [sa.Column("person", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["person"], ["people.person"], ondelete="CASCADE",
                                    name=f"fk_{table}_person_people")]


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=f"pk_{table}")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("person", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("clinician", sa.Text(), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("home", sa.Boolean(), server_default=sa.false(), nullable=False),
        _pk("people", "person"),
    )
    op.create_index("ix_people_home", "people", ["home"], unique=True,
                    sqlite_where=sa.text("home"), postgresql_where=sa.text("home"))
    op.create_table(
        "plans",
        *_person("plans"),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("plan_person", sa.Text(), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_plans_version"),
        _pk("plans", "person", "version"),
    )
    op.create_index("ix_plans_person_name_key", "plans", ["person", "name_key"])
    op.create_table(
        "entries",
        sa.Column("person", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("session_name", sa.Text(), nullable=False),
        sa.Column("exercise", sa.Text(), nullable=False),
        *(sa.Column(k, sa.Float(), nullable=True) for k in ("sets", "reps", "hold_s",
                                                            "rest_s")),
        sa.Column("per_side", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=True),
        sa.Column("dose_source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["person", "version"], ["plans.person", "plans.version"],
                                ondelete="CASCADE", name="fk_entries_person_version_plans"),
        sa.CheckConstraint(_one_of("day", DAYS), name="ck_entries_day"),
        _pk("entries", "person", "version", "day", "session", "order"),
    )
    op.create_table(
        "done",
        *_person("done"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("session", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("exercise", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("felt", sa.Text(), nullable=True),
        *(sa.Column(k, sa.Float(), nullable=True) for k in ("sets", "reps", "hold_s",
                                                            "minutes")),
        sa.ForeignKeyConstraint(["person", "version"], ["plans.person", "plans.version"],
                                name="fk_done_person_version_plans"),
        sa.CheckConstraint(_one_of("status", STATUSES), name="ck_done_status"),
        sa.CheckConstraint(f"felt IS NULL OR {_one_of('felt', FEELINGS)}",
                           name="ck_done_felt"),
        sa.CheckConstraint("session >= 0", name="ck_done_session"),
        _pk("done", "person", "date", "session", "exercise"),
    )
    op.create_table(
        "pain",
        *_person("pain"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("nprs", sa.Integer(), nullable=False),
        _score("pain", "nprs"),
        _pk("pain", "person", "date"),
    )
    op.create_table(
        "peg",
        *_person("peg"),
        sa.Column("date", sa.Date(), nullable=False),
        *(sa.Column(k, sa.Integer(), nullable=False) for k in PEG_ITEMS),
        *(_score("peg", k) for k in PEG_ITEMS),
        _pk("peg", "person", "date"),
    )
    op.create_table(
        "psfs",
        *_person("psfs"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        _score("psfs", "score"),
        _pk("psfs", "person", "date", "activity"),
    )
    op.create_table(
        "signs",
        *_person("signs"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("sign", sa.Text(), nullable=False),
        _pk("signs", "person", "date", "sign"),
    )
    op.create_table(
        "imports",
        *_person("imports"),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("imported", sa.DateTime(), nullable=False),
        _pk("imports", "person", "file", "sha256"),
    )


def downgrade() -> None:
    for table in ("imports", "signs", "psfs", "peg", "pain", "done", "entries", "plans"):
        op.drop_table(table)
    op.drop_index("ix_people_home", table_name="people")
    op.drop_table("people")
