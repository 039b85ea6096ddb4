#!/usr/bin/env python3
"""Set up backguide and open it, or test it.  Needs only Python 3.11+.

    python3 dev.py lab     # set everything up, open JupyterLab on notebooks/
    python3 dev.py test    # set everything up, run the whole test suite
    python3 dev.py present # set everything up, serve the presentation with Voila on
                           # 127.0.0.1 with a fresh token; prints the address to open
    python3 dev.py caseload  # the clinic's caseload page, served as `present` is
    python3 dev.py db      # start a local PostgreSQL for a clinic to try (--stop stops it)
    python3 dev.py demo-clinic  # 200 made-up people in the database the guide points at
    python3 dev.py import SOURCE --to FOLDER  # an exercise set (free-exercise-db JSON, CSV)
                           # as a library folder; BACKGUIDE_LIBRARY=FOLDER then uses it

Setting up makes a virtual environment in ``.venv``, installs the package
with everything the notebooks and tests use (``-e .[app,test]``: the library,
JupyterLab and Voila, and the test tools), and registers the Jupyter kernel
"Python (backguide)" that the notebooks name.  For the browser tests, ``test``
uses a Chromium already on the machine, else installs Debian's package (as
root), else tries Playwright's own download, and says which it did; likewise it
uses or installs poppler-utils (pdftotext, pdftoppm) for the handout tests and
the PostgreSQL server (Debian's postgresql) for the journal's database tests.
A second run reuses ``.venv`` and reinstalls only when ``pyproject.toml`` (or
what dev.py installs) has changed.  Arguments after the command go to
JupyterLab, pytest or Voila (present also takes --port=9000, --token=T, --no-token).

``present`` keeps a kernel ready with the presentation already run in it (Voila's
preheated kernels), so a visitor's first screen needs no kernel start; after each
visit Voila prepares the next one.  ``--preheat_kernel=False`` serves it cold.
"""

from __future__ import annotations

import errno
import hashlib
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import venv
import webbrowser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "backguide-installed.txt"

#: The extras every command installs beside the library (pyproject.toml's
#: [project.optional-dependencies]): JupyterLab and Voila, and the test tools.
EXTRAS = ("app", "test")
#: The Jupyter kernel the setup registers; every notebook's metadata names it.
KERNEL_NAME = "backguide"
KERNEL_DISPLAY_NAME = "Python (backguide)"


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(*args: object, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def setup() -> None:
    """Make .venv and install the package, unless it is already up to date."""
    if sys.version_info < (3, 11):
        sys.exit(f"backguide needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    # What was installed: pyproject.toml, the extras and the kernel; a change to any reinstalls.
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + repr(
        (EXTRAS, KERNEL_NAME, KERNEL_DISPLAY_NAME)).encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        say("the virtual environment is up to date")
    else:
        say("installing backguide and its dependencies into .venv")
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
            "-e", install_target())
        run(PYTHON, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
            "--display-name", KERNEL_DISPLAY_NAME)
        STAMP.write_text(wanted + "\n")


def install_target() -> str:
    """What ``pip install -e`` installs: this checkout with its extras, ``ROOT[app,test]``."""
    return f"{ROOT}[{','.join(EXTRAS)}]"


def jupyter_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment JupyterLab and Voila run in: backguide's Voila page template
    (``share/jupyter``: Voila's lab template with nothing fetched off the machine) and
    the setting that makes it Voila's default (``etc/jupyter``), ahead of any others."""
    env = dict(os.environ if base is None else base)
    for name, path in (("JUPYTER_PATH", ROOT / "share" / "jupyter"),
                       ("JUPYTER_CONFIG_PATH", ROOT / "etc" / "jupyter")):
        env[name] = os.pathsep.join(p for p in (str(path), env.get(name, "")) if p)
    return env


def lab(args: list[str]) -> int:
    setup()
    say("opening JupyterLab on notebooks/ (stop it with Ctrl+C)")
    if is_root():
        args = ["--allow-root", *args]  # containers and CI machines run as root
    return subprocess.call([str(BIN / "jupyter"), "lab", str(ROOT / "notebooks"), *args],
                           env=jupyter_env())


PRESENT_IP = "127.0.0.1"
PRESENT_PORT = 8866
#: Kernels Voila keeps started, with 04_present already run in each, for the next
#: visitors (VoilaConfiguration.default_pool_size).  One presenter, one screen: one is
#: enough, and each costs about 120 MB while it waits.  Voila starts the next one a
#: second after a visit (VoilaKernelManager.fill_delay; 5 s measured no faster).
PRESENT_POOL_SIZE = 1

# Options of `dev.py present` that dev.py reads itself; everything else goes to Voila as given.
_PRESENT_OPTIONS = {"--port": "port", "--Voila.port": "port", "--ip": "ip", "--Voila.ip": "ip",
                    "--token": "token", "--Voila.token": "token", "--no-token": "no-token"}


def _present_settings(args: list[str], token_factory) -> tuple[str, int, str, list[str]]:
    """(ip, port, token, other arguments) for ``dev.py present ARGS``; see present_command."""
    ip, port, token, rest = PRESENT_IP, PRESENT_PORT, None, []
    i = 0
    while i < len(args):
        arg = args[i]
        name, has_value, value = arg.partition("=")
        key = _PRESENT_OPTIONS.get(name)
        i += 1
        if key is None:
            rest.append(arg)
            continue
        if not has_value and key in ("port", "ip"):
            if i == len(args):
                example = "9000" if key == "port" else PRESENT_IP
                raise ValueError(f"{name} needs a value, e.g. {name}={example}")
            value, i = args[i], i + 1
        elif not has_value and key == "token":  # --token VALUE, or --token alone: a fresh one
            if i < len(args) and not args[i].startswith("-"):
                value, i = args[i], i + 1
            else:
                value = token_factory()
        if key == "port":
            port = int(value) if value.isdigit() else 0
            if not 0 < port < 65536:
                raise ValueError(f"{name}: {value!r} is not a port number (e.g. --port=9000)")
        elif key == "ip":
            ip = value
        else:
            token = "" if key == "no-token" else value
    return ip, port, token_factory() if token is None else token, rest


def present_command(args: list[str], token_factory=secrets.token_urlsafe
                    ) -> tuple[list[str], str, dict[str, str]]:
    """Voila's options for ``dev.py present ARGS``, the address to open, and Voila's environment.

    Loopback (127.0.0.1), port 8866 and a fresh token unless ARGS say otherwise:
    ``--port=N`` or ``--port N``, ``--ip=ADDR``, ``--token=T`` (``--token`` alone: a fresh one),
    ``--no-token`` or ``--token=`` (none).  Each setting is passed once, the user's value
    winning; other arguments go to Voila unchanged.  The token goes to Voila in the
    environment (JUPYTER_TOKEN), not on its command line, which anyone on the machine can
    read with ``ps``.  Raises ValueError on a bad port.

    Preheated kernels are on (``--VoilaConfiguration.preheat_kernel=True``, a pool of
    PRESENT_POOL_SIZE, refilled after each visit) unless ARGS set ``--preheat_kernel`` or
    the pool themselves, or turn on progressive rendering, which Voila cannot combine
    with preheating.
    """
    return _voila_command(*_present_settings(args, token_factory))


def _voila_command(ip: str, port: int, token: str, rest: list[str]
                   ) -> tuple[list[str], str, dict[str, str]]:
    # Voila.auto_token takes the token from JUPYTER_TOKEN; an empty Voila.token means none.
    argv = [f"--Voila.ip={ip}", f"--port={port}",
            "--Voila.auto_token=True" if token else "--Voila.token="]
    if not any(a.startswith("--Voila.port_retries") for a in rest):
        argv.append("--Voila.port_retries=0")  # a taken port fails instead of moving elsewhere
    if not any(a == "--no-browser" or a.startswith("--Voila.open_browser") for a in rest):
        argv.append("--no-browser")  # Voila would open the address without the token
    argv += _preheat_options(rest)
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(ip, ip)
    host = f"[{host}]" if ":" in host else host
    # The address logs in (a cookie) and moves on to the page at "/", so the page's own
    # address carries no token: a preheated page's query string is given to anyone who
    # opens Voila's /voila/query/<kernel id> socket, which asks for no token, and kernel
    # ids show in `ps`.  Nor does the token then show in the address bar on a projector.
    login = f"login?token={urllib.parse.quote(token, safe='')}" if token else ""
    env = {"JUPYTER_TOKEN": token} if token else {}
    return [*argv, *rest], f"http://{host}:{port}/{login}", env


def _given(rest: list[str], *names: str) -> str | None:
    """The value REST gives the last of NAMES it sets (``--name=V`` or ``--name V``), or None."""
    found = None
    for i, arg in enumerate(rest):
        name, has_value, value = arg.partition("=")
        if name in names:
            follows = rest[i + 1] if i + 1 < len(rest) else "-"
            found = value if has_value or follows.startswith("-") else follows
    return found


def _preheat_options(rest: list[str]) -> list[str]:
    """Voila's preheated kernels for the presentation, unless REST says otherwise.

    Voila then starts a kernel and runs the notebook before anyone asks, keeps the page
    it rendered, and hands both to the next visitor; the token still guards the page.
    """
    def on(value: str | None) -> bool:
        return value is not None and value.lower() in ("true", "1")

    preheat = _given(rest, "--preheat_kernel", "--VoilaConfiguration.preheat_kernel")
    progressive = _given(rest, "--progressive_rendering",
                         "--VoilaConfiguration.progressive_rendering")
    if (preheat is not None and not on(preheat)) or on(progressive):
        return []  # turned off, or progressive rendering, which Voila cannot preheat
    options = [] if preheat is not None else ["--VoilaConfiguration.preheat_kernel=True"]
    if _given(rest, "--pool_size", "--VoilaConfiguration.default_pool_size") is None:
        options.append(f"--VoilaConfiguration.default_pool_size={PRESENT_POOL_SIZE}")
    return options


def _is_loopback(ip: str) -> bool:
    try:
        return ip == "localhost" or ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def _port_taken(ip: str, port: int) -> bool:
    """Whether something already listens on IP:PORT (bound as Tornado binds, SO_REUSEADDR)."""
    try:
        addresses = socket.getaddrinfo(ip or None, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except OSError:
        return False  # let Voila report a bad address
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as s:
            if os.name != "nt":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(address)
            except OSError as e:
                if e.errno == errno.EADDRINUSE:
                    return True
    return False


def _wait_until_listening(proc: subprocess.Popen, url: str) -> bool:
    """Wait until the server at URL accepts connections: False if it stops first."""
    parts = urllib.parse.urlsplit(url)
    while proc.poll() is None:
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def present(args: list[str], notebook: str = "04_present.ipynb",
            what: str = "the presentation") -> int:
    setup()
    try:
        ip, port, token, rest = _present_settings(args, secrets.token_urlsafe)
    except ValueError as e:
        say(f"present: {e}")
        return 2
    argv, url, env = _voila_command(ip, port, token, rest)
    if _port_taken(ip, port):
        say(f"port {port} is already in use on {ip or 'this machine'} (is the presentation "
            f"already running?). Stop that, or pick another port: "
            f"python3 dev.py present --port=9000")
        return 1
    if not token:
        say("WARNING: no token: anyone on this machine can open the presentation")
    if not _is_loopback(ip):
        say(f"WARNING: listening on {ip or 'every address'}, not only on this machine: other "
            f"computers on the network can reach the presentation")
    say(f"starting Voila on {ip}:{port} with notebooks/{notebook}")
    proc = subprocess.Popen([str(BIN / "voila"), str(ROOT / "notebooks" / notebook),
                             *argv], cwd=ROOT / "notebooks", env=jupyter_env({**os.environ, **env}))
    for stop in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if stop is not None:  # stopping dev.py stops Voila, which stops its kernels
            signal.signal(stop, lambda *_: proc.terminate())
    try:
        if _wait_until_listening(proc, url):
            say(f"{what} is ready: open this address in the browser "
                "(stop it with Ctrl+C)")
            print(f"\n    {url}\n", flush=True)
            if "--no-browser" not in rest and not any(
                    a.startswith("--Voila.open_browser") for a in rest):
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        code = proc.wait()
    except KeyboardInterrupt:  # Ctrl+C reached Voila too: let it stop its kernels
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait()
        return 0
    if code and _port_taken(ip, port):
        say(f"Voila could not listen on port {port}: pick another, e.g. "
            f"python3 dev.py present --port=9000")
    return code


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def find_chromium() -> str | None:
    for candidate in (os.environ.get("BACKGUIDE_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def ensure_browser() -> str:
    """A Chromium for the browser tests: one already here, else Debian's, else Playwright's.

    Returns the executable's path, or "playwright" for Playwright's own download.
    """
    found = find_chromium()
    if found:
        say(f"browser tests use the Chromium already here: {found}")
        return found
    if is_root() and shutil.which("apt-get"):
        say("no Chromium found: installing Debian's chromium package with apt-get")
        subprocess.call(["apt-get", "update", "-qq"])
        subprocess.call(["apt-get", "install", "-y", "-qq", "chromium"],
                        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = find_chromium()
        if found:
            say(f"browser tests use Debian's Chromium: {found}")
            return found
        say("apt-get could not install chromium")
    say("trying Playwright's own Chromium download (python -m playwright install chromium)")
    if subprocess.call([str(PYTHON), "-m", "playwright", "install", "chromium"]) == 0:
        say("browser tests use Playwright's Chromium")
        return "playwright"
    say("no Chromium could be found or installed: the browser tests will fail and say so")
    return ""


def ensure_poppler() -> None:
    """pdftotext and pdftoppm, which the handout tests read PDFs with."""
    if shutil.which("pdftotext") and shutil.which("pdftoppm"):
        say("handout tests use the poppler tools already here")
        return
    if is_root() and shutil.which("apt-get"):
        say("no pdftotext found: installing Debian's poppler-utils with apt-get")
        subprocess.call(["apt-get", "install", "-y", "-qq", "poppler-utils"],
                        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if not shutil.which("pdftotext"):
            subprocess.call(["apt-get", "update", "-qq"])
            subprocess.call(["apt-get", "install", "-y", "-qq", "poppler-utils"],
                            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not shutil.which("pdftotext"):
        say("pdftotext is missing (install poppler-utils): the handout tests will fail")


#: Where Debian's postgresql-<version> packages put the server's programs: <version>/bin.
PG_DEBIAN = Path("/usr/lib/postgresql")


def find_postgres() -> str | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl, postgres): the one
    BACKGUIDE_PG_BIN names, else Debian's newest (/usr/lib/postgresql/<version>/bin),
    else the one holding the initdb on the PATH."""
    def version(folder: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in folder.parent.name.split(".") if p.isdigit())

    debian = sorted(PG_DEBIAN.glob("*/bin"), key=version, reverse=True)
    on_path = shutil.which("initdb")
    for candidate in (os.environ.get("BACKGUIDE_PG_BIN"), *debian,
                      on_path and Path(on_path).parent):
        if candidate and all((Path(candidate) / p).is_file()
                             for p in ("initdb", "pg_ctl", "postgres")):
            return str(candidate)
    return None


def ensure_postgres() -> str:
    """A PostgreSQL server for the journal's database tests: the one here, else Debian's
    postgresql package (as root).  Returns its programs' folder, or "" if there is none."""
    wanted, found = os.environ.get("BACKGUIDE_PG_BIN"), find_postgres()
    if wanted and found != wanted:
        say(f"BACKGUIDE_PG_BIN={wanted} holds no initdb, pg_ctl and postgres")
    if found:
        say(f"database tests use the PostgreSQL server already here: {found}")
        return found
    if is_root() and shutil.which("apt-get"):
        say("no PostgreSQL server found: installing Debian's postgresql package with apt-get")
        for update in (False, True):  # the package lists may be missing or stale
            if update:
                subprocess.call(["apt-get", "update", "-qq"])
            subprocess.call(["apt-get", "install", "-y", "-qq", "postgresql"],
                            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            found = find_postgres()
            if found:
                say(f"database tests use Debian's PostgreSQL server: {found}")
                return found
        say("apt-get could not install postgresql")
    say("no PostgreSQL server (install Debian's postgresql, or set BACKGUIDE_PG_BIN to the "
        "folder holding initdb and pg_ctl): the database tests will fail and say so")
    return ""


AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"


def ensure_axe() -> str:
    """axe-core, which the accessibility tests run in the browser: from the npm registry,
    into .axe/ (installing Node.js and npm from Debian's packages first if needed)."""
    if AXE.is_file():
        say(f"accessibility tests use the axe-core already here: {AXE}")
        return str(AXE)
    if not shutil.which("npm") and is_root() and shutil.which("apt-get"):
        say("no npm found: installing Debian's nodejs and npm with apt-get")
        subprocess.call(["apt-get", "install", "-y", "-qq", "nodejs", "npm"],
                        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if shutil.which("npm"):
        say("installing axe-core from the npm registry into .axe/")
        AXE.parents[2].mkdir(parents=True, exist_ok=True)
        subprocess.call(["npm", "install", "--no-audit", "--no-fund", "--silent",
                         "--prefix", str(AXE.parents[2]), "axe-core@4"])
    if not AXE.is_file():
        say("axe-core could not be installed: the accessibility tests will fail and say so")
    return str(AXE)


def test(args: list[str]) -> int:
    setup()
    ensure_poppler()
    postgres = ensure_postgres()
    browser = ensure_browser()
    axe = ensure_axe()
    say("running the test suite")
    env = {**os.environ, "BACKGUIDE_CHROMIUM": browser, "BACKGUIDE_AXE": axe}
    if postgres:  # else tests/pg.py names where it looked, and how to install one
        env["BACKGUIDE_PG_BIN"] = postgres
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)


def caseload(args: list[str]) -> int:
    """The clinic's caseload page, served as the presentation is (same options)."""
    return present(args, notebook="06_caseload.ipynb", what="the caseload")


def import_(args: list[str]) -> int:
    """Import an exercise set into a library folder (backguide/importing.py)."""
    setup()
    return subprocess.call([str(PYTHON), "-m", "backguide.importing", *args])


def db(args: list[str]) -> int:
    """A local PostgreSQL for trying the clinic (backguide/journal/localdb.py)."""
    setup()
    postgres = ensure_postgres()
    env = {**os.environ, **({"BACKGUIDE_PG_BIN": postgres} if postgres else {})}
    return subprocess.call([str(PYTHON), "-m", "backguide.journal.localdb", *args],
                           cwd=ROOT, env=env)


def demo_clinic(args: list[str]) -> int:
    """Fill the database the guide is pointed at with a made-up caseload."""
    setup()
    return subprocess.call([str(PYTHON), "-m", "backguide.journal.demo", *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    commands = {"lab": lab, "test": test, "present": present, "caseload": caseload, "db": db,
                "demo-clinic": demo_clinic, "import": import_}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
