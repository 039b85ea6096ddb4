"""The clinic: clinicians, people who belong to one, and row-level security on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-02-02

- ``clinicians``: a clinician's name (unique) and the PostgreSQL role they
  connect as.  Every clinician people were given so far (``people.clinician``,
  free text until now) becomes a row, and ``people.clinician`` refers to
  ``clinicians.name``.
- On PostgreSQL, every person-keyed table, and ``clinicians``, gets ``ENABLE``
  and ``FORCE ROW LEVEL SECURITY`` and two policies:

  * ``<table>_owner``: the tables' owner (who runs the migrations) reads and
    writes every row;
  * ``<table>_clinician``: any other role reads and writes only the rows of
    the people whose clinician's ``role`` is ``current_user``, and may write
    no row that is not one of them (``USING`` and ``WITH CHECK``).  A role
    that is no clinician's sees nothing.  On ``clinicians``, a role reads
    its own row only, and writes none.

  Which roles may touch the tables at all (``GRANT``) is set up when the
  first clinician is added (:mod:`backguide.journal.clinic`), not here.

Spelt out, so that later changes to the models never change what this
migration does.  On SQLite the column is renamed, added again with its
reference and copied (SQLite cannot add a constraint to a column, and
rebuilding ``people`` would cascade its deletion to every table).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Every table with a ``person`` column, ``people`` first.
PERSON_TABLES = ("people", "plans", "entries", "done", "pain", "peg", "psfs", "signs",
                 "imports")
#: A role's own clinician, and that clinician's people.
MY_NAME = "SELECT c.name FROM clinicians c WHERE c.role = current_user"
MY_PEOPLE = ("SELECT p.person FROM people p JOIN clinicians c ON c.name = p.clinician "
             "WHERE c.role = current_user")
FK = "fk_people_clinician_clinicians"


def upgrade() -> None:
    op.create_table(
        "clinicians",
        sa.Column("clinician", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("clinician", name="pk_clinicians"),
        sa.UniqueConstraint("name", name="uq_clinicians_name"),
        sa.UniqueConstraint("role", name="uq_clinicians_role"),
    )
    op.execute("INSERT INTO clinicians (name, created) SELECT clinician, MIN(created) "
               "FROM people WHERE clinician IS NOT NULL GROUP BY clinician")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE people RENAME COLUMN clinician TO clinician_0001")
        op.execute(f"ALTER TABLE people ADD COLUMN clinician TEXT CONSTRAINT {FK} "
                   "REFERENCES clinicians (name)")
        op.execute("UPDATE people SET clinician = clinician_0001")
        op.execute("ALTER TABLE people DROP COLUMN clinician_0001")
        return
    op.create_foreign_key(FK, "people", "clinicians", ["clinician"], ["name"])
    if bind.dialect.name == "postgresql":
        _secure(bind)


def _secure(bind) -> None:
    owner = bind.execute(sa.text(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = 'people'")).scalar_one()
    owner = bind.dialect.identifier_preparer.quote(owner)
    for table in (*PERSON_TABLES, "clinicians"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_owner ON {table} FOR ALL TO {owner} "
                   "USING (true) WITH CHECK (true)")
        if table == "clinicians":
            mine = "role = current_user"
            op.execute(f"CREATE POLICY clinicians_clinician ON clinicians FOR SELECT "
                       f"TO PUBLIC USING ({mine})")
            continue
        mine = (f"clinician IN ({MY_NAME})" if table == "people"
                else f"person IN ({MY_PEOPLE})")
        op.execute(f"CREATE POLICY {table}_clinician ON {table} FOR ALL TO PUBLIC "
                   f"USING ({mine}) WITH CHECK ({mine})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE people RENAME COLUMN clinician TO clinician_0002")
        op.execute("ALTER TABLE people ADD COLUMN clinician TEXT")
        op.execute("UPDATE people SET clinician = clinician_0002")
        op.execute("ALTER TABLE people DROP COLUMN clinician_0002")
    else:
        if bind.dialect.name == "postgresql":
            for table in (*PERSON_TABLES, "clinicians"):
                op.execute(f"DROP POLICY IF EXISTS {table}_owner ON {table}")
                op.execute(f"DROP POLICY IF EXISTS {table}_clinician ON {table}")
                op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
                op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.drop_constraint(FK, "people", type_="foreignkey")
    op.drop_table("clinicians")
