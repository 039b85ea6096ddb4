"""The two-command setup, the conda file and the wheel all hold together."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile


from conftest import ROOT


def _requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(re.match(r"([A-Za-z0-9_.-]+)(.*)", r).groups() for r in reqs)


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
    conda = _conda()
    assert conda.pop("python") == ">=3.11"
    conda.pop("pip")
    assert conda == _requirements()


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
