"""The two-command setup, the conda file and the wheel all hold together."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)

#: The notebooks' apps: the library installs and imports without them.
APPS = {"jupyterlab", "voila"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _requirements(*extras: str) -> dict[str, str]:
    """The core dependencies and those of ``extras`` (every extra if none), as name -> bound."""
    project = _project()
    groups = project["optional-dependencies"]
    reqs = project["dependencies"] + [r for x in (extras or groups) for r in groups[x]]
    # pip's extras ("psycopg[binary]") are conda-forge's plain package ("psycopg").
    return dict(re.match(r"([A-Za-z0-9_.-]+)(?:\[[a-z,]+\])?(.*)", r).groups() for r in reqs)


def _conda() -> dict[str, str]:
    """The dependencies section of environment.yml, as name -> version bound."""
    text = (ROOT / "environment.yml").read_text()
    deps = {}
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"\s+-\s+([A-Za-z0-9_.-]+)(\S*)\s*$", line)
        if m:
            deps[m.group(1)] = m.group(2)
    return deps


def test_environment_yml_matches_pyproject():
    """Conda users get everything: the library, every extra (the apps, the tests)."""
    conda = _conda()
    assert conda.pop("python") == "=3.12", "a Python of at least pyproject's 3.11"
    conda.pop("pip")
    assert set(_project()["optional-dependencies"]) == {"app", "test"}
    assert conda == _requirements()


def test_the_library_needs_neither_jupyterlab_nor_voila():
    core = _requirements("app")
    for name in _project()["optional-dependencies"]["app"]:
        core.pop(re.match(r"[A-Za-z0-9_.-]+", name).group())
    assert core == {"pandas": ">=3.0", "matplotlib": ">=3.10", "ipywidgets": ">=8.1",
                    "anywidget": ">=0.9", "jinja2": ">=3.1", "sqlalchemy": ">=2.1",
                    "alembic": ">=1.20", "psycopg": ">=3.3", "icalendar": ">=7.0",
                    "openpyxl": ">=3.1"}
    assert set(_requirements("app")) - set(core) == APPS


def test_the_library_imports_without_jupyterlab_and_voila():
    """Nothing in the package (views included) imports the apps."""
    blocker = ("import sys\n"
               "class NoApps:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               f"        if name.split('.')[0] in {sorted(APPS)!r}:\n"
               "            raise ImportError(f'{name} is not installed')\n"
               "sys.meta_path.insert(0, NoApps())\n"
               f"sys.path.insert(0, {str(ROOT)!r})\n"
               "import backguide, backguide.views, backguide.handout, backguide.present\n"
               "assert not any(m.split('.')[0] in ('jupyterlab', 'voila') for m in sys.modules)\n"
               "print(backguide.load_library().exercises.shape[0])\n")
    out = subprocess.run([sys.executable, "-I", "-c", blocker], cwd=ROOT.parent,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert int(out.stdout) > 0


@pytest.mark.parametrize("command", ["lab", "test", "present"])
def test_every_command_sets_up_the_library_with_its_apps_and_tests(command, monkeypatch):
    """The README: each command sets everything up, ``-e .[app,test]`` and the kernel."""
    assert set(dev.EXTRAS) == set(_project()["optional-dependencies"]) == {"app", "test"}
    assert dev.install_target() == f"{dev.ROOT}[app,test]"

    class SetUp(Exception):
        pass

    def setup():
        raise SetUp

    monkeypatch.setattr(dev, "setup", setup)
    with pytest.raises(SetUp):  # the first thing each command does
        dev.main([command])


def test_the_setup_installs_with_the_extras_and_registers_the_kernel(monkeypatch, tmp_path):
    ran = []
    python = tmp_path / "python"
    python.touch()
    monkeypatch.setattr(dev, "PYTHON", python)
    monkeypatch.setattr(dev, "STAMP", tmp_path / "stamp.txt")
    monkeypatch.setattr(dev, "run", lambda *args, **kw: ran.append([str(a) for a in args]))
    dev.setup()
    assert ran == [
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
         "-e", f"{dev.ROOT}[app,test]"],
        [str(python), "-m", "ipykernel", "install", "--sys-prefix", "--name", "backguide",
         "--display-name", "Python (backguide)"]]
    dev.setup()
    assert len(ran) == 2, "a second run reuses the environment"


def test_the_licence_file_is_the_declared_one():
    assert _project()["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 backguide contributors" in text
    assert "WITHOUT WARRANTY OF ANY KIND" in text


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^python3 dev\.py (\w+)", readme, flags=re.M)
    assert commands[:2] == ["lab", "test"], "the quick start is: lab, then test"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    assert ci[-1] == "python3 dev.py test"
    assert all(line.startswith(("set ", "cd ", "python3 dev.py test")) for line in ci)


def test_wheel_ships_the_data_and_loads_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path), str(ROOT)], check=True)
    (wheel,) = tmp_path.glob("backguide-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        z.extractall(site)
    for table in ("exercises", "sources", "doses", "guidance"):
        assert f"backguide/data/{table}.csv" in names
    assert "backguide/py.typed" in names, "type checkers read the package's annotations"
    info = wheel.name.removesuffix("-py3-none-any.whl") + ".dist-info"
    assert f"{info}/licenses/LICENSE" in names
    metadata = (site / info / "METADATA").read_text()
    assert "License-Expression: MIT" in metadata
    requires = re.findall(r"^Requires-Dist: (.*)$", metadata, flags=re.M)
    for app in APPS:
        assert any(r.startswith(app) and "extra == 'app'" in r for r in requires)
        assert not any(r.startswith(app) and "extra ==" not in r for r in requires)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import backguide as bg, pathlib; lib = bg.load_library();"
            "print(len(lib.exercises), len(lib.doses),"
            " pathlib.Path(bg.__file__).parent.as_posix())")
    out = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                         cwd=elsewhere, capture_output=True, text=True, check=True).stdout.split()
    from backguide import load_library

    shipped = load_library()
    assert out[:2] == [str(len(shipped.exercises)), str(len(shipped.doses))]
    assert out[2] == (site / "backguide").as_posix(), "loaded from the wheel, not the checkout"


# --- Binder ------------------------------------------------------------------------------


def test_binder_reads_a_python_of_at_least_311_from_environment_yml():
    """repo2docker chooses the Python of its conda environment with this pattern
    (repo2docker/buildpacks/conda/__init__.py, PYTHON_REGEX); without a match it
    falls back to its default (3.10 in 2026), older than backguide needs."""
    text = (ROOT / "environment.yml").read_text()
    found = [m.group(1) for line in text.splitlines()
             if (m := re.match(r"\s*-\s*python\s*=+\s*([\d\.]*)", line))]
    assert found and tuple(int(x) for x in found[0].split(".")) >= (3, 11)


def test_binder_installs_the_package_and_its_kernel_after_the_environment():
    """repo2docker runs an executable top-level postBuild after building the
    environment, and starts the server through an executable top-level start."""
    post, start = ROOT / "postBuild", ROOT / "start"
    assert os.access(post, os.X_OK) and os.access(start, os.X_OK)
    text = post.read_text()
    assert "pip install --no-deps --no-build-isolation -e ." in text
    assert "ipykernel install --sys-prefix --name backguide" in text
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), (
        "a binder/ folder would make repo2docker ignore the top-level files")
    assert 'JUPYTER_PATH="${PWD}/share/jupyter' in start.read_text()
    assert (ROOT / "share/jupyter/voila/templates/backguide/index.html.j2").is_file()
