"""Every notebook runs top to bottom on a fresh kernel, and is committed clean."""

from __future__ import annotations

import importlib.util
import json

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error" or o.get("name") == "stderr"]
    assert not errors, errors
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs, "the notebook shows something"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_names_the_kernel_the_setup_installs(path):
    """JupyterLab and Voila open each notebook on the kernel ``dev.py`` registers
    (``ipykernel install --name backguide``), not on whatever "python3" is."""
    kernelspec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert kernelspec == {"name": dev.KERNEL_NAME, "display_name": dev.KERNEL_DISPLAY_NAME,
                          "language": "python"}
    assert dev.KERNEL_NAME == "backguide"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"])
             if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"strip the outputs of cells {dirty}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_safety_text_comes_from_the_views_not_from_markdown(path):
    """The short note is shown once, by the view at the top of the page, from the
    guidance table; a copy in markdown made it appear twice or three times and
    drift from the table.  (tests/test_journeys.py sees it once, in view.)"""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert "not a diagnosis" not in cell.source
            assert "bladder" not in cell.source.lower()
