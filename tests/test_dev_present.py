"""`python3 dev.py present`: Voila on 127.0.0.1 with a fresh token, the user's arguments winning.

The argument handling is tested as a pure function; one test starts the real command and
checks over HTTP that the page needs the printed token.
"""

from __future__ import annotations

import importlib.util
import itertools
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

from conftest import ROOT
from servers import free_port

_spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)

# What each option Voila is given sets, to check that nothing is set twice.
_ALIASES = {"--port": "Voila.port", "--token": "Voila.token", "--no-browser": "Voila.open_browser",
            "--show_tracebacks": "VoilaConfiguration.show_tracebacks",
            "--template": "VoilaConfiguration.template"}


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
    assert url == "http://127.0.0.1:8866/?token=tok1"
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
    assert url == "http://127.0.0.1:9000/?token=tok1"


@pytest.mark.parametrize("args", [["--token=abc"], ["--token", "abc"], ["--Voila.token=abc"]])
def test_the_users_token_is_used_and_printed(args):
    argv, url, env = command(*args)
    assert env == {"JUPYTER_TOKEN": "abc"}
    assert url == "http://127.0.0.1:8866/?token=abc"
    assert "Voila.token" not in settings(argv)
    assert not any("abc" in a for a in argv)


def test_token_alone_gives_a_fresh_one_and_odd_tokens_are_quoted():
    assert command("--token", "--port=9000")[1] == "http://127.0.0.1:9000/?token=tok1"
    assert command("--token=a b&c")[1] == "http://127.0.0.1:8866/?token=a%20b%26c"


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
    assert url == f"http://{host}:8866/?token=tok1"


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
    started = time.monotonic()
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
        assert url == f"http://127.0.0.1:{port}/?token={token}" and len(token) >= 32
        for p in psutil.Process(proc.pid).children(recursive=True):
            assert token not in " ".join(p.cmdline()), "the token is visible in `ps`"

        for refused in (f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/?token=wrong"):
            status, location, body = get(refused)
            assert status == 403 or (status == 302 and "/login" in location), (refused, status)
            assert "Presenter()" not in body and "application/vnd.jupyter.widget" not in body

        status, _, body = get(url)
        assert status == 200
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
    assert time.monotonic() - started < 60


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
