"""`python3 dev.py present`: Voila on 127.0.0.1 with a fresh token, the user's arguments winning.

The argument handling is tested as a pure function; one test starts the real command and
checks over HTTP that the page needs the printed token.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import importlib.util
import itertools
import concurrent.futures
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from tornado.websocket import websocket_connect

from conftest import ROOT
from servers import free_port, offline_context

_spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)

# What each option Voila is given sets, to check that nothing is set twice.
_ALIASES = {"--port": "Voila.port", "--token": "Voila.token", "--no-browser": "Voila.open_browser",
            "--show_tracebacks": "VoilaConfiguration.show_tracebacks",
            "--template": "VoilaConfiguration.template",
            "--preheat_kernel": "VoilaConfiguration.preheat_kernel",
            "--pool_size": "VoilaConfiguration.default_pool_size",
            "--progressive_rendering": "VoilaConfiguration.progressive_rendering"}


def command(*args: str) -> tuple[list[str], str, dict[str, str]]:
    tokens = (f"tok{n}" for n in itertools.count(1))
    return dev.present_command(list(args), token_factory=lambda: next(tokens))


def settings(argv: list[str]) -> dict[str, str]:
    """Voila's setting -> value for ARGV, failing if any setting is given twice."""
    found: dict[str, str] = {}
    for arg in argv:
        name, _, value = arg.partition("=")
        trait = _ALIASES.get(name, name.removeprefix("--"))
        assert trait not in found, f"{trait} passed twice in {argv}"
        found[trait] = value
    return found


def test_default_is_loopback_port_8866_and_a_fresh_token():
    argv, url, env = command()
    s = settings(argv)
    assert s["Voila.ip"] == "127.0.0.1"
    assert s["Voila.port"] == "8866"
    assert s["Voila.port_retries"] == "0"
    assert s["Voila.auto_token"] == "True"  # the token comes from JUPYTER_TOKEN
    assert env == {"JUPYTER_TOKEN": "tok1"}
    assert url == "http://127.0.0.1:8866/login?token=tok1"
    assert not any("tok1" in a for a in argv), "the token must not be on Voila's command line"


def test_the_real_token_is_random_each_run():
    (_, url1, env1), (_, url2, env2) = dev.present_command([]), dev.present_command([])
    assert env1["JUPYTER_TOKEN"] != env2["JUPYTER_TOKEN"]
    assert len(env1["JUPYTER_TOKEN"]) >= 32
    assert url1.endswith("?token=" + env1["JUPYTER_TOKEN"])


@pytest.mark.parametrize("args", [["--port=9000"], ["--port", "9000"], ["--Voila.port=9000"],
                                  ["--port=8000", "--port", "9000"]])
def test_the_users_port_is_passed_once(args):
    argv, url, _ = command(*args)
    assert settings(argv)["Voila.port"] == "9000"
    assert [a for a in argv if "port" in a and "retries" not in a] == ["--port=9000"]
    assert url == "http://127.0.0.1:9000/login?token=tok1"


@pytest.mark.parametrize("args", [["--token=abc"], ["--token", "abc"], ["--Voila.token=abc"]])
def test_the_users_token_is_used_and_printed(args):
    argv, url, env = command(*args)
    assert env == {"JUPYTER_TOKEN": "abc"}
    assert url == "http://127.0.0.1:8866/login?token=abc"
    assert "Voila.token" not in settings(argv)
    assert not any("abc" in a for a in argv)


def test_token_alone_gives_a_fresh_one_and_odd_tokens_are_quoted():
    assert command("--token", "--port=9000")[1] == "http://127.0.0.1:9000/login?token=tok1"
    assert command("--token=a b&c")[1] == "http://127.0.0.1:8866/login?token=a%20b%26c"


@pytest.mark.parametrize("args", [["--no-token"], ["--token="], ["--token=abc", "--no-token"]])
def test_no_token_is_explicit(args):
    argv, url, env = command(*args)
    s = settings(argv)
    assert s["Voila.token"] == "" and "Voila.auto_token" not in s
    assert env == {}
    assert url == "http://127.0.0.1:8866/"


@pytest.mark.parametrize("args, ip, host", [
    (["--ip=0.0.0.0"], "0.0.0.0", "127.0.0.1"),
    (["--Voila.ip", "192.168.1.5"], "192.168.1.5", "192.168.1.5"),
    (["--ip", "::1"], "::1", "[::1]"),
])
def test_the_users_ip_replaces_loopback(args, ip, host):
    argv, url, _ = command(*args)
    assert settings(argv)["Voila.ip"] == ip
    assert url == f"http://{host}:8866/login?token=tok1"


def test_other_arguments_pass_through_unchanged_and_in_order():
    extra = ["--show_tracebacks=True", "--template=lab", "--debug", "--theme=dark"]
    argv, _, _ = command(extra[0], "--port=9000", *extra[1:])
    assert argv[-len(extra):] == extra
    settings(argv)


def test_the_users_own_retries_and_browser_choice_win():
    argv, _, _ = command("--Voila.port_retries=3", "--no-browser")
    s = settings(argv)
    assert s["Voila.port_retries"] == "3"
    assert "Voila.open_browser" in s  # once: settings() fails on a second


def test_the_presentation_is_preheated_with_one_kernel_ready():
    argv = command()[0]
    s = settings(argv)
    assert s["VoilaConfiguration.preheat_kernel"] == "True"
    assert s["VoilaConfiguration.default_pool_size"] == "1"


@pytest.mark.parametrize("args, preheat, pool", [
    (["--preheat_kernel=False"], "False", None),
    (["--VoilaConfiguration.preheat_kernel=false"], "false", None),
    (["--pool_size=3"], "True", "3"),
    (["--VoilaConfiguration.default_pool_size", "2"], "True", ""),
    (["--preheat_kernel", "True"], "", "1"),
])
def test_the_users_preheating_settings_win_and_are_passed_once(args, preheat, pool):
    """``--preheat_kernel=False`` serves it cold, with no pool; a value given after a space
    stays the user's alone (``settings`` reads such a flag as ``""``)."""
    argv = command(*args)[0]
    s = settings(argv)
    assert s.get("VoilaConfiguration.preheat_kernel") == preheat
    assert s.get("VoilaConfiguration.default_pool_size") == pool
    assert argv[-len(args):] == args


@pytest.mark.parametrize("args", [["--progressive_rendering=True"],
                                  ["--VoilaConfiguration.progressive_rendering=True"]])
def test_progressive_rendering_is_served_without_preheating(args):
    """Voila refuses to start with both; the user asked for progressive rendering."""
    s = settings(command(*args)[0])
    assert s["VoilaConfiguration.progressive_rendering"] == "True"
    assert not any("preheat" in k or "pool" in k for k in s)


@pytest.mark.parametrize("args", [["--port=abc"], ["--port"], ["--port=70000"], ["--ip"]])
def test_bad_values_are_refused(args):
    with pytest.raises(ValueError, match="--port=9000|--ip=127.0.0.1"):
        command(*args)


# --- the real command ---------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect to the login page comes back as an HTTPError


def get(url: str) -> tuple[int, str, str]:
    """(status, Location header, body) of a GET that does not follow redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as r:
            return r.status, "", r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", ""), e.read().decode(errors="replace")


def request_info(socket_url: str) -> str:
    """What a client with no token is told on a Voila socket ("" if nothing, in 5 s)."""
    async def read() -> str:
        connection = await websocket_connect(socket_url)
        try:
            return await asyncio.wait_for(connection.read_message(), 5) or ""
        except asyncio.TimeoutError:
            return ""
        finally:
            connection.close()
    return asyncio.run(read())


def wait_for_url(proc: subprocess.Popen, out: Path, err: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"^\s+(http://\S+)$", out.read_text(), flags=re.M)
        if found:
            return found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail("dev.py present printed no address:\n" + out.read_text() + err.read_text()[-3000:])


def stop_group(proc: subprocess.Popen) -> list[psutil.Process]:
    """Stop dev.py and its process group; return whatever of it and its children still runs."""
    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    _, alive = psutil.wait_procs(family, timeout=20)
    for p in alive:
        p.kill()
    proc.wait(timeout=10)
    return alive


def port_listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_dev_py_present_serves_only_with_the_printed_token(tmp_path):
    port = free_port()
    out, err = tmp_path / "present.out", tmp_path / "present.err"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([sys.executable, str(ROOT / "dev.py"), "present",
                                 f"--port={port}", "--no-browser"],
                                stdout=o, stderr=e, cwd=ROOT, start_new_session=True)
    left = []
    try:
        url = wait_for_url(proc, out, err, timeout=120)  # setup() could be reinstalling
        token = url.partition("?token=")[2]
        assert url == f"http://127.0.0.1:{port}/login?token={token}" and len(token) >= 32
        for p in psutil.Process(proc.pid).children(recursive=True):
            assert token not in " ".join(p.cmdline()), "the token is visible in `ps`"

        for refused in (f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/?token=wrong",
                        f"http://127.0.0.1:{port}/login?token=wrong"):
            status, location, body = get(refused)
            assert status in (200, 403) or (status == 302 and "/login" in location), \
                (refused, status)
            assert "Presenter()" not in body and "application/vnd.jupyter.widget" not in body

        # The printed address logs in and moves on to the page, whose address has no token.
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(url, timeout=60) as r:
            status, page_address, body = r.status, r.geturl(), r.read().decode()
        assert status == 200 and page_address == f"http://127.0.0.1:{port}/"
        # Voila hands a preheated page's request (its query string) to whoever opens this
        # socket with the page's kernel id, no token asked, and kernel ids show in `ps`.
        kernel = json.loads(re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>',
                                      body, flags=re.S).group(1))["kernelId"]
        # In a thread of its own: the suite's shared browser runs an event loop in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            said = pool.submit(request_info, f"ws://127.0.0.1:{port}/voila/query/{kernel}")
            assert token not in said.result(timeout=60)
        # A title a person understands, and nothing asked of a CDN (backguide's template).
        assert "<title>Show a routine to a patient \u00b7 backguide</title>" in body
        assert "voila" in body and "cdn.jsdelivr" not in body and "https://" not in body
        # The notebook ran: its cell's widget (the presenter) is in the page.
        assert "application/vnd.jupyter.widget-view+json" in body
    finally:
        left = stop_group(proc)
    assert not left, f"still running after dev.py was stopped: {left}"
    assert not port_listening(port)
    print(out.read_text())


def test_dev_py_present_shows_its_first_screen_from_a_preheated_kernel(tmp_path, browser):
    """The browser's first visit is given the kernel Voila prepared before it came, and
    shows the safety screen; stopping dev.py stops that kernel and the one prepared next."""
    port = free_port()
    out, err = tmp_path / "present.out", tmp_path / "present.err"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([sys.executable, str(ROOT / "dev.py"), "present",
                                 f"--port={port}", "--no-browser"],
                                stdout=o, stderr=e, cwd=ROOT, start_new_session=True)
    left = []
    try:
        url = wait_for_url(proc, out, err, timeout=120)
        (voila,) = psutil.Process(proc.pid).children()
        assert "--VoilaConfiguration.preheat_kernel=True" in voila.cmdline()
        # The suite's shared browser (a second Playwright in one thread cannot start).
        context = offline_context(browser, {"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(url, timeout=60_000)
        page.wait_for_selector(".bg-present .bg-safety-ok", state="visible", timeout=60_000)
        screen = page.inner_text(".bg-present")
        context.close()
        assert "None of these apply" in screen and "Traceback" not in screen
        assert not context.outside, context.outside
        log = err.read_text()
        assert "Using pre-heated kernel" in log and "for 04_present.ipynb" in log, log[-3000:]
    finally:
        left = stop_group(proc)
    assert not left, f"still running after dev.py was stopped: {left}"


def test_dev_py_present_names_a_taken_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, str(ROOT / "dev.py"), "present", "--port", str(port),
                               "--no-browser"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"port {port} is already in use" in done.stdout
    assert "python3 dev.py present --port=9000" in done.stdout


# --- `dev.py test` sets up the PostgreSQL server ----------------------------------------


def fake_postgres(folder: Path, *programs: str) -> Path:
    """A folder of PostgreSQL's server programs, as Debian lays it out (empty files)."""
    folder.mkdir(parents=True)
    for name in programs or ("initdb", "pg_ctl", "postgres"):
        (folder / name).touch()
    return folder


@pytest.fixture
def no_postgres(tmp_path, monkeypatch):
    """A machine with no PostgreSQL: Debian's folder empty, none on the PATH, none named."""
    monkeypatch.setattr(dev, "PG_DEBIAN", tmp_path / "usr-lib-postgresql")
    monkeypatch.delenv("BACKGUIDE_PG_BIN", raising=False)
    which = dev.shutil.which
    monkeypatch.setattr(dev.shutil, "which", lambda name: None if name in (
        "initdb", "pg_ctl", "postgres") else which(name))
    return dev.PG_DEBIAN


def test_the_newest_complete_debian_postgresql_is_used(no_postgres):
    for version in ("9.6", "13", "15"):
        fake_postgres(no_postgres / version / "bin")
    fake_postgres(no_postgres / "16" / "bin", "initdb", "pg_ctl")  # no server: client only
    assert dev.find_postgres() == str(no_postgres / "15" / "bin")


def test_dev_py_test_gives_pytest_the_postgresql_it_found(no_postgres, monkeypatch):
    found = fake_postgres(no_postgres / "15" / "bin")
    ran = []
    for step in ("setup", "ensure_poppler"):
        monkeypatch.setattr(dev, step, lambda: None)
    monkeypatch.setattr(dev, "ensure_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(dev, "ensure_axe", lambda: "axe.min.js")
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, **kw: ran.append((cmd, kw)) or 0)
    assert dev.main(["test", "-q", "tests/test_journal_store.py"]) == 0
    ((cmd, kw),) = ran
    assert cmd[1:] == ["-m", "pytest", "-q", "tests/test_journal_store.py"]
    assert kw["env"]["BACKGUIDE_PG_BIN"] == str(found)


def test_as_root_a_missing_postgresql_is_installed_from_debian(no_postgres, monkeypatch, capsys):
    ran = []

    def apt_get(cmd, **kw):
        ran.append(cmd)
        if cmd[:2] == ["apt-get", "install"] and "postgresql" in cmd:
            fake_postgres(no_postgres / "15" / "bin")
        return 0

    monkeypatch.setattr(dev, "is_root", lambda: True)
    monkeypatch.setattr(dev.subprocess, "call", apt_get)
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}" if name == "apt-get"
                        else None)
    assert dev.ensure_postgres() == str(no_postgres / "15" / "bin")
    assert ["apt-get", "install", "-y", "-qq", "postgresql"] in ran
    assert "installing Debian's postgresql package" in capsys.readouterr().out


def test_without_root_a_missing_postgresql_is_named_with_how_to_install_it(no_postgres,
                                                                          monkeypatch, capsys):
    monkeypatch.setattr(dev, "is_root", lambda: False)
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **kw: pytest.fail("ran " + str(a)))
    assert dev.ensure_postgres() == ""
    said = capsys.readouterr().out
    assert "no PostgreSQL server" in said and "postgresql" in said and "BACKGUIDE_PG_BIN" in said
