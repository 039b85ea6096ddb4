"""Each clinician sees their own people, enforced by PostgreSQL, not by the page.

On the throwaway PostgreSQL: a second clinician connects with the URL
``add_clinician`` gave them and tries raw SQL against the first clinician's
people (reads give no rows, writes are refused); the caseload opened as each
clinician shows only their people; a clinician's role cannot change the
schema; the password is never in ``repr``, a message or a log, and it is
the password that lets them in (a cluster of its own, with SCRAM on).
Also: clinicians on SQLite, and a journal made before clinicians existed.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import shutil

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import backguide as bg
from backguide.errors import BackguideError
from backguide.journal import clinic, models
from backguide.journal.caseload import caseload
from backguide.journal.store import MIGRATIONS, JournalError, open_store
from pg import PG_BIN, Cluster, _run

TODAY = dt.date.today()


def day(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def plan() -> bg.Plan:
    return bg.Plan(name="Home plan").add("Monday", "cat_cow").add("Thursday", "glute_bridge")


def fill(store, person: int) -> None:
    """A plan and a check-in with every part, and an imported file: a row in every
    person-keyed table."""
    store.set_plan(person, plan(), starts=day(20))
    monday = day(20) + dt.timedelta(days=(7 - day(20).weekday()) % 7)
    store.check_in(person, monday, done=[{"exercise": "cat_cow", "status": "done",
                                          "felt": "easier"}], pain=4,
                   peg={"pain": 4, "enjoyment": 4, "activity": 4}, psfs={"Walking": 5},
                   signs=["nice_ng59_red_fever"])
    with store.engine.begin() as conn:
        conn.execute(insert(models.imports), {"person": person, "file": f"{person}.json",
                                              "sha256": "0" * 64, "version": 1,
                                              "imported": dt.datetime(2026, 1, 1)})


@pytest.fixture
def owner_url(postgres) -> str:
    """A schema of its own, owned by a role that may make roles but is no superuser
    (a superuser would pass every policy), as ``dev.py db`` sets one up."""
    role = clinic.role_name("owner")
    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN CREATEROLE")
        conn.execute(f"CREATE SCHEMA {role} AUTHORIZATION {role}")
    return (f"postgresql+psycopg://{role}@127.0.0.1:{postgres.port}/postgres"
            f"?options=-csearch_path%3D{role}")


@pytest.fixture
def clinic_db(owner_url):
    """The owner's store with Dr Okafor (Ada) and Dr Lee (Bob), and their URLs."""
    with open_store(owner_url) as owner:
        okafor, lee = owner.add_clinician("Dr Okafor"), owner.add_clinician("Dr Lee")
        ada = owner.add_person("Ada", clinician="Dr Okafor")
        bob = owner.add_person("Bob", clinician="Dr Lee")
        fill(owner, ada)
        fill(owner, bob)
        yield {"owner": owner, "okafor": okafor, "lee": lee, "ada": ada, "bob": bob}


def as_role(url: str, sql: str, params: dict | None = None):
    """Run one statement as the role of ``url`` and commit; return its rows, or the
    number of rows it changed."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params or {})
            return result.all() if result.returns_rows else result.rowcount
    finally:
        engine.dispose()


def refused(url: str, sql: str, params: dict | None = None) -> str:
    """What the database said when it refused ``sql`` run as the role of ``url``."""
    with pytest.raises(sa_exc.DBAPIError) as caught:
        as_role(url, sql, params)
    return str(caught.value.orig)


# --- the policies --------------------------------------------------------------------------

def test_every_person_keyed_table_has_row_level_security_forced(clinic_db):
    with clinic_db["owner"].engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'")).all()
    secured = {name for name, enabled, forced in rows if enabled and forced}
    assert set(clinic.PERSON_TABLES) | {"clinicians"} <= secured
    assert {name for name, *_ in rows} - secured == {"alembic_version"}


@pytest.mark.parametrize("table", clinic.PERSON_TABLES)
def test_a_second_clinician_reads_no_row_of_the_first_clinicians_people(clinic_db, table):
    ada, bob = clinic_db["ada"], clinic_db["bob"]
    everyone = as_role(clinic_db["okafor"], f"SELECT person FROM {table}")
    assert {p for (p,) in everyone} == {ada}, "Dr Okafor sees Ada's rows, and only them"
    assert as_role(clinic_db["lee"], f"SELECT * FROM {table} WHERE person = :p",
                   {"p": ada}) == []
    assert {p for (p,) in as_role(clinic_db["lee"], f"SELECT person FROM {table}")} == {bob}
    owner = clinic_db["owner"].engine.url.render_as_string(hide_password=False)
    assert {p for (p,) in as_role(owner, f"SELECT person FROM {table}")} == {ada, bob}


def test_a_second_clinician_cannot_write_for_the_first_clinicians_person(clinic_db):
    lee, ada, bob = clinic_db["lee"], clinic_db["ada"], clinic_db["bob"]
    owner = clinic_db["owner"]
    before = {t: owner.read(t).astype(str).values.tolist() for t in
              ("people", "done", "pain", "signs")}
    for sql in ("INSERT INTO pain (person, date, nprs) VALUES (:p, :d, 9)",
                "INSERT INTO signs (person, date, sign) VALUES (:p, :d, 'nice_ng59_red_fever')",
                "INSERT INTO done (person, date, session, exercise, version, place, status) "
                "VALUES (:p, :d, 0, 'cat_cow', 1, 0, 'done')"):
        said = refused(lee, sql, {"p": ada, "d": day(1)})
        assert "row-level security" in said
    # Changing or deleting Ada's rows finds none of them.
    assert as_role(lee, "UPDATE pain SET nprs = 0 WHERE person = :p", {"p": ada}) == 0
    assert as_role(lee, "DELETE FROM done WHERE person = :p", {"p": ada}) == 0
    assert as_role(lee, "UPDATE people SET clinician = 'Dr Lee' WHERE person = :p",
                   {"p": ada}) == 0
    # Nor can Bob be handed to another clinician.
    assert "row-level security" in refused(
        lee, "UPDATE people SET clinician = 'Dr Okafor' WHERE person = :p", {"p": bob})
    with open_store(lee) as store:
        with pytest.raises(JournalError) as caught:
            store.check_in(ada, day(1), pain=9)
        assert caught.value.field == "person"
    after = {t: owner.read(t).astype(str).values.tolist() for t in before}
    assert after == before


def test_a_clinician_reads_and_writes_their_own_people(clinic_db):
    bob = clinic_db["bob"]
    with open_store(clinic_db["lee"]) as store:
        assert store.clinician == "Dr Lee"
        store.check_in(bob, day(1), pain=2)
        cy = store.add_person("Cy")  # theirs, without saying so
        with pytest.raises(JournalError) as caught:
            store.add_person("Di", clinician="Dr Okafor")
        assert caught.value.field == "clinician"
        assert store.read("people")[["name", "clinician"]].values.tolist() == [
            ["Bob", "Dr Lee"], ["Cy", "Dr Lee"]]
    assert clinic_db["owner"].read("pain", person=bob)["nprs"].tolist() == [4, 2]
    assert clinic_db["owner"].read("people", person=cy)["clinician"].tolist() == ["Dr Lee"]


@pytest.mark.parametrize("in_database", [False, True], ids=["pandas", "database"])
def test_the_caseload_opened_as_each_clinician_shows_only_their_people(clinic_db,
                                                                       in_database):
    seen = {}
    for who in ("okafor", "lee"):
        with open_store(clinic_db[who]) as store:
            seen[who] = caseload(store, in_database=in_database)[
                ["person", "name", "clinician"]].values.tolist()
    assert seen == {"okafor": [[clinic_db["ada"], "Ada", "Dr Okafor"]],
                    "lee": [[clinic_db["bob"], "Bob", "Dr Lee"]]}
    assert len(caseload(clinic_db["owner"], in_database=in_database)) == 2


SCHEMA_CHANGES = {
    "create a table": "CREATE TABLE notes (person int)",
    "create an index": "CREATE INDEX ix_pain_nprs ON pain (nprs)",
    "add a column": "ALTER TABLE people ADD COLUMN notes text",
    "drop a table": "DROP TABLE done",
    "switch row-level security off": "ALTER TABLE pain DISABLE ROW LEVEL SECURITY",
    "drop a policy": "DROP POLICY pain_clinician ON pain",
    "add a policy": "CREATE POLICY everyone ON pain USING (true)",
    "empty a table (TRUNCATE skips the policies)": "TRUNCATE pain",
    "make a function": "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "add a clinician": "INSERT INTO clinicians (name, created) VALUES ('Dr X', now())",
    "change the migrations' version": "UPDATE alembic_version SET version_num = '0001'",
}


@pytest.mark.parametrize("change", list(SCHEMA_CHANGES))
def test_a_clinicians_role_cannot_change_the_schema(clinic_db, change):
    said = refused(clinic_db["lee"], SCHEMA_CHANGES[change])
    assert "permission denied" in said or "must be owner" in said


def test_a_clinicians_grant_grants_nothing(clinic_db):
    owner = clinic_db["owner"].engine.url.render_as_string(hide_password=False)
    acl = "SELECT relacl::text FROM pg_class WHERE oid = 'pain'::regclass"
    before = as_role(owner, acl)
    as_role(clinic_db["lee"], "GRANT ALL ON pain TO PUBLIC")  # only a warning
    assert as_role(owner, acl) == before


def test_turning_row_security_off_is_an_error_not_a_way_round(clinic_db):
    engine = create_engine(clinic_db["lee"], poolclass=NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET row_security = off")
        with pytest.raises(sa_exc.DBAPIError, match="row-level security"):
            conn.exec_driver_sql("SELECT * FROM pain").all()
    engine.dispose()


def test_migrations_are_the_owners_a_clinician_is_told_so(clinic_db):
    owner = clinic_db["owner"]
    with owner.engine.begin() as conn:
        head = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    try:
        with pytest.raises(BackguideError, match="brought up to date by its owner role"):
            open_store(clinic_db["lee"])
    finally:
        with owner.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{head}'")
    open_store(clinic_db["lee"]).close()


def test_only_a_role_that_may_make_roles_adds_a_clinician(clinic_db):
    with open_store(clinic_db["lee"]) as store:
        with pytest.raises(BackguideError, match="CREATEROLE") as caught:
            store.add_clinician("Dr Third")
    password = make_url(clinic_db["lee"]).password
    assert password not in str(caught.value)
    assert "Dr Third" not in clinic_db["owner"].read("people")["clinician"].tolist()


def test_a_clinician_people_already_name_gets_a_role_once(clinic_db):
    owner = clinic_db["owner"]
    cy = owner.add_person("Cy", clinician="Dr Ng")
    url = owner.add_clinician("Dr Ng")
    with open_store(url) as store:
        assert store.read("people")["person"].tolist() == [cy]
    with pytest.raises(JournalError) as caught:
        owner.add_clinician("Dr Ng")
    assert caught.value.field == "name"


# --- the password ------------------------------------------------------------------------

def test_the_password_is_never_shown_or_logged(postgres, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement
    with open_store(postgres.new_schema()) as owner:
        url = owner.add_clinician("Dr Okafor")
    parsed = make_url(url)
    password = parsed.password
    assert len(password) >= 32 and parsed.username.startswith("bg_dr_okafor_")
    with open_store(url) as store:
        assert password not in repr(store) and password not in store.url
        assert "***" in store.url
        store.read("people")
    closed = url.replace(f":{postgres.port}/", ":1/")
    with pytest.raises(BackguideError) as caught:
        open_store(closed)
    assert password not in str(caught.value) and "***" in str(caught.value)
    assert password not in caplog.text
    assert "CREATE ROLE" in caplog.text, "the statements were logged, and checked"
    assert password not in (postgres.folder / "log").read_text(errors="replace")


@pytest.fixture(scope="module")
def scram():
    """A cluster of its own that asks for passwords (SCRAM-SHA-256) on 127.0.0.1."""
    cluster = Cluster()
    owner_password = "owner-" + clinic.new_password()
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f"ALTER ROLE postgres PASSWORD '{clinic.scram_verifier(owner_password)}'")
    hba = cluster.data / "pg_hba.conf"
    hba.write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
    if os.geteuid() == 0:
        shutil.chown(hba, "postgres")
    _run([str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), "reload"], "pg_ctl reload")
    yield cluster, owner_password
    cluster.stop()


def test_the_generated_password_lets_the_clinician_in_and_no_other(scram):
    cluster, owner_password = scram
    schema = "clinic"
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres",
                         password=owner_password, dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    with pytest.raises(BackguideError):  # the owner too needs its password now
        open_store(cluster.url(schema))
    with open_store(cluster.url(schema, password=owner_password)) as owner:
        url = owner.add_clinician("Dr Okafor")
        owner.add_person("Ada", clinician="Dr Okafor")
    with open_store(url) as store:
        assert store.read("people")["name"].tolist() == ["Ada"]
    password = make_url(url).password
    wrong = make_url(url).set(password=password[:-1] + ("A" if password[-1] != "A" else "B"))
    with pytest.raises(BackguideError, match="password authentication failed") as caught:
        open_store(wrong.render_as_string(hide_password=False))
    assert password not in str(caught.value)


def test_a_scram_verifier_is_what_postgresql_itself_stores(postgres):
    # PostgreSQL hashes a password it is given; the same salt must give the same verifier.
    role = clinic.role_name("Verifier")
    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute("SET password_encryption = 'scram-sha-256'")
        conn.execute(f"CREATE ROLE {role} PASSWORD 'pencil'")
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                              (role,)).fetchone()[0]
        conn.execute(f"DROP ROLE {role}")
    iterations, salt = stored.split("$")[1].split(":")
    assert clinic.scram_verifier("pencil", salt=base64.b64decode(salt),
                                 iterations=int(iterations)) == stored


# --- SQLite, and a journal from before clinicians -------------------------------------------

def test_on_sqlite_a_clinician_is_a_row_and_the_url_is_the_stores(tmp_path):
    url = f"sqlite:///{tmp_path}/journal.sqlite"
    with open_store(url) as store:
        assert store.add_clinician("Dr Okafor") == url
        ada = store.add_person("Ada", clinician="Dr Okafor")
        store.add_person("Bob", clinician="Dr Lee")  # made a clinician too
        assert store.clinician is None
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT name, role FROM clinicians ORDER BY name")).all()
        assert [tuple(r) for r in rows] == [("Dr Lee", None), ("Dr Okafor", None)]
        assert store.read("people", person=ada)["clinician"].tolist() == ["Dr Okafor"]
        assert store.add_clinician("Dr Lee") == url  # nothing to make: no logins here
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM clinicians")).scalar() == 2


@pytest.fixture(params=["sqlite", "postgresql"])
def old_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/journal.sqlite"
    return request.getfixturevalue("postgres").new_schema()


def test_a_journal_from_before_clinicians_keeps_everything(old_url):
    # The database as the first release left it, with people and their journal.
    engine = create_engine(old_url, poolclass=NullPool)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO people (person, name, clinician, created, home) VALUES "
                          "(1, 'Ada', 'Dr Okafor', '2026-01-05', false), "
                          "(2, 'Bob', 'Dr Okafor', '2026-01-06', false), "
                          "(3, 'Cy', NULL, '2026-01-07', true)"))
        conn.execute(text("INSERT INTO plans (person, version, starts, name, name_key, claims, "
                          "created) VALUES (1, 1, '2026-01-05', 'A', 'a', '[]', '2026-01-05')"))
        conn.execute(text("INSERT INTO pain (person, date, nprs) VALUES "
                          "(1, '2026-01-06', 4), (2, '2026-01-06', 5), (3, '2026-01-06', 6)"))
    engine.dispose()
    with open_store(old_url) as store:
        people = store.read("people")
        assert people[["person", "name", "clinician"]].astype(object).where(
            people[["person", "name", "clinician"]].notna(), None).values.tolist() == [
            [1, "Ada", "Dr Okafor"], [2, "Bob", "Dr Okafor"], [3, "Cy", None]]
        assert store.read("pain")["nprs"].tolist() == [4, 5, 6]
        assert len(store.read("plans")) == 1
        # Migration 0003: a version saved before plans could be only saved is followed.
        assert store.read("plans")["follow"].tolist() == [True]
        assert store.plan(1, on=dt.date(2026, 1, 6)).name == "A"
        assert store.me() == 3
        with store.engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM clinicians")).scalars().all()
        assert names == ["Dr Okafor"]
        with pytest.raises(sa_exc.IntegrityError):  # people.clinician refers to a clinician
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE people SET clinician = 'Dr Nobody' WHERE person = 1"))
