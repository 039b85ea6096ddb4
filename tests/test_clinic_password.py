"""A lost password is re-issued, and a clinician who leaves loses their login.

On a throwaway PostgreSQL of this module's own, where the clinicians' roles
must give their password (SCRAM-SHA-256) and every other role is trusted, as
in tests/pg.py, so that ``clinic_db`` (tests/test_clinic_rls.py) works as it
is: after :func:`clinic.reissue_password` the old URL is refused and the new
one connects and sees only that clinician's people; after
:func:`clinic.revoke_clinician` the role cannot connect and the owner still
reads every row of its people.  Also the refusals: an unknown name, a
clinician's own role, SQLite.  No password is ever in a message or a repr.
"""

from __future__ import annotations

import logging
import os
import shutil

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from backguide.errors import BackguideError
from backguide.journal import clinic
from backguide.journal.columns import TABLES
from backguide.journal.store import JournalError, open_store
from pg import PG_BIN, Cluster, ClusterError, _run
from test_clinic_rls import clinic_db, owner_url  # noqa: F401  (fixtures, reused)

@pytest.fixture(scope="module")
def postgres():
    """This module's cluster: members of the clinicians' group role log in with their
    password only; other roles (``postgres``, the tables' owner) are trusted."""
    try:
        cluster = Cluster()
    except ClusterError as exc:
        pytest.fail(f"PostgreSQL could not be started, so this PostgreSQL test cannot run: "
                    f"{exc}", pytrace=False)
    hba = cluster.data / "pg_hba.conf"
    hba.write_text("local all all trust\n"
                   f"host all +{clinic.APP_ROLE} 127.0.0.1/32 scram-sha-256\n"
                   "host all all 127.0.0.1/32 trust\n")
    if os.geteuid() == 0:
        shutil.chown(hba, "postgres")
    _run([str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), "reload"], "pg_ctl reload")
    yield cluster
    cluster.stop()


def connects(url: str) -> str | None:
    """``None`` if ``url`` connects, else what the server said."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001  (what was said is the result)
        return str(getattr(exc, "orig", exc))
    finally:
        engine.dispose()


def reissue(owner, name: str) -> str:
    return owner.reissue_password(name)


def revoke(owner, name: str) -> clinic.Revoked:
    """Revoke, commit, then end the sessions (Store.revoke_clinician)."""
    return owner.revoke_clinician(name)


def history(owner) -> dict:
    return {t: owner.read(t).astype(str).values.tolist() for t in TABLES}


def password_of(url: str) -> str:
    return make_url(url).password


def assert_hidden(error: BaseException, *urls: str) -> None:
    for url in urls:
        assert password_of(url) not in str(error)
        assert password_of(url) not in repr(error)


# --- re-issuing a password -------------------------------------------------------------------

def test_a_reissued_password_replaces_the_old_one(clinic_db, postgres, caplog):
    owner, old = clinic_db["owner"], clinic_db["lee"]
    assert connects(old) is None, "the password add_clinician gave lets Dr Lee in"
    wrong = make_url(old).set(password="not-" + password_of(old))
    assert "password authentication failed" in connects(
        wrong.render_as_string(hide_password=False)), "this cluster asks for passwords"
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement
    new = reissue(owner, "Dr Lee")
    assert make_url(new).username == make_url(old).username
    assert len(password_of(new)) >= 32 and password_of(new) != password_of(old)
    assert "password authentication failed" in connects(old)
    with open_store(new) as store:
        assert store.clinician == "Dr Lee"
        assert store.read("people")[["name", "clinician"]].values.tolist() == [
            ["Bob", "Dr Lee"]]
        assert store.read("pain")["person"].unique().tolist() == [clinic_db["bob"]]
        assert password_of(new) not in repr(store) and password_of(new) not in store.url
    assert connects(clinic_db["okafor"]) is None, "Dr Okafor's password is untouched"
    assert "ALTER ROLE" in caplog.text, "the statements were logged, and checked"
    assert password_of(new) not in caplog.text
    assert password_of(new) not in (postgres.folder / "log").read_text(errors="replace")


def test_a_password_can_be_reissued_again(clinic_db):
    first = reissue(clinic_db["owner"], "Dr Okafor")
    second = reissue(clinic_db["owner"], "Dr Okafor")
    assert "password authentication failed" in connects(first)
    with open_store(second) as store:
        assert store.read("people")["name"].tolist() == ["Ada"]


# --- revoking a clinician --------------------------------------------------------------------

def test_a_revoked_clinician_cannot_log_in_and_their_people_stay(clinic_db):
    owner, lee = clinic_db["owner"], clinic_db["lee"]
    before = history(owner)
    revoked = revoke(owner, "Dr Lee")
    assert "not permitted to log in" in connects(lee)
    assert connects(clinic_db["okafor"]) is None
    assert history(owner) == before, "every row of every person is kept"
    assert owner.read("people")[["name", "clinician"]].values.tolist() == [
        ["Ada", "Dr Okafor"], ["Bob", "Dr Lee"]]
    assert (revoked.name, revoked.people, revoked.ended, revoked.left) == (
        "Dr Lee", 1, 0, 0)
    said = str(revoked)
    assert said.startswith("Dr Lee can no longer log in")
    assert "They had no open session." in said
    assert "Their 1 person is kept under Dr Lee" in said
    assert "re-assigning them to another clinician is a separate step" in said
    assert password_of(lee) not in said and password_of(lee) not in repr(revoked)
    again = revoke(owner, "Dr Lee")  # nothing more to take away
    assert again.people == 1 and "not permitted to log in" in connects(lee)
    with pytest.raises(clinic.NoLogin, match="login was revoked") as caught:
        reissue(owner, "Dr Lee")  # a new password would not let them in
    assert caught.value.field == "role"


def test_sessions_the_owner_may_not_end_are_said_to_be_open(clinic_db):
    engine = create_engine(clinic_db["lee"], poolclass=NullPool)
    with engine.connect() as session:
        revoked = revoke(clinic_db["owner"], "Dr Lee")
        assert (revoked.ended, revoked.left) == (0, 1)
        assert "1 open session of theirs is still open" in str(revoked)
        assert "pg_signal_backend" in str(revoked)
        assert session.execute(text("SELECT count(*) FROM people")).scalar() == 1
    engine.dispose()


def test_an_owner_in_pg_signal_backend_ends_the_open_sessions(clinic_db, postgres):
    owner_role = clinic_db["owner"].engine.url.username
    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f"GRANT pg_signal_backend TO {owner_role}")
    engine = create_engine(clinic_db["lee"], poolclass=NullPool)
    try:
        with engine.connect() as session:
            revoked = revoke(clinic_db["owner"], "Dr Lee")
            assert (revoked.ended, revoked.left) == (1, 0)
            assert "1 open session of theirs was ended" in str(revoked)
            with pytest.raises(Exception, match="terminat"):
                session.execute(text("SELECT count(*) FROM people"))
    finally:
        engine.dispose()


# --- refusals --------------------------------------------------------------------------------

@pytest.mark.parametrize("act", [reissue, revoke], ids=["reissue", "revoke"])
def test_an_unknown_clinician_is_named_beside_the_known_ones(clinic_db, act):
    with pytest.raises(JournalError) as caught:
        act(clinic_db["owner"], "Dr Nobody")
    said = str(caught.value)
    assert caught.value.field == "name"
    assert "'Dr Nobody'" in said and "'Dr Lee', 'Dr Okafor'" in said
    assert_hidden(caught.value, clinic_db["lee"], clinic_db["okafor"])


@pytest.mark.parametrize("act", [reissue, revoke], ids=["reissue", "revoke"])
def test_a_clinician_without_a_role_has_no_login_to_change(clinic_db, act):
    clinic_db["owner"].add_person("Cy", clinician="Dr Ng")  # a row, no role
    with pytest.raises(clinic.NoLogin, match="Dr Ng") as caught:
        act(clinic_db["owner"], "Dr Ng")
    assert caught.value.field == "role" and "add_clinician gives one" in str(caught.value)


@pytest.mark.parametrize("act", [reissue, revoke], ids=["reissue", "revoke"])
@pytest.mark.parametrize("target", ["Dr Lee", "Dr Okafor"], ids=["own", "other"])
def test_a_clinicians_role_may_not_do_it(clinic_db, act, target):
    lee = clinic_db["lee"]
    with open_store(lee) as store:
        with pytest.raises(BackguideError, match="CREATEROLE") as caught:
            act(store, target)
    said = str(caught.value)
    assert "the role of clinician Dr Lee" in said
    assert_hidden(caught.value, lee, clinic_db["okafor"])
    assert connects(lee) is None and connects(clinic_db["okafor"]) is None, "unchanged"


@pytest.mark.parametrize("act", [reissue, revoke], ids=["reissue", "revoke"])
def test_on_sqlite_there_is_nothing_to_reissue_or_revoke(tmp_path, act):
    url = f"sqlite:///{tmp_path}/journal.sqlite"
    with open_store(url) as store:
        store.add_clinician("Dr Okafor")
        store.add_person("Ada", clinician="Dr Okafor")
        with pytest.raises(clinic.NoLogin) as caught:
            act(store, "Dr Okafor")
        assert store.read("people")["clinician"].tolist() == ["Dr Okafor"]
    said = str(caught.value)
    assert isinstance(caught.value, JournalError) and caught.value.field == "role"
    assert "SQLite" in said
    nothing = "no password to re-issue" if act is reissue else "no login to revoke"
    assert nothing in said
