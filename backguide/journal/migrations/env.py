"""Alembic's environment for the journal's migrations.

:func:`backguide.journal.store.open_store` runs them on its own connection,
passed in ``config.attributes["connection"]``, inside its transaction.  A
developer can also run ``alembic`` against a database named by the
``sqlalchemy.url`` option (``alembic -x`` is not needed).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from backguide.journal.models import metadata


def run_migrations(config) -> None:
    """Run the migrations on the connection given, or on ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()


def _run(connection) -> None:
    # render_as_batch: SQLite alters a table by copying it; later migrations need that.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


# Only Alembic sets up ``context.config``; anything else importing this file
# (the doctest collector, say) finds the functions and runs nothing.
try:
    _config = context.config
except (AttributeError, NameError):
    _config = None
if _config is not None:
    run_migrations(_config)
