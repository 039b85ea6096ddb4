"""The package's conventions, checked over every module: one way to pass the library."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import backguide


def _public_callables():
    for info in pkgutil.walk_packages(backguide.__path__, "backguide."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", obj
            elif inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) and (attr == "__init__"
                                                       or not attr.startswith("_")):
                        yield f"{module.__name__}.{name}.{attr}", member


def test_lib_is_a_keyword_everywhere():
    """``lib`` is keyword-only in every public function and method (``resolve(lib)``,
    which turns ``None`` into the shipped library, is the one that takes it as given)."""
    found, positional = 0, []
    for where, f in _public_callables():
        p = inspect.signature(f).parameters.get("lib")
        if p is None:
            continue
        found += 1
        if p.kind is not p.KEYWORD_ONLY and where != "backguide.library.resolve":
            positional.append(where)
    assert found > 40, "the walk reached the package's functions"
    assert positional == []


def test_lib_none_means_the_shipped_library():
    for where, f in _public_callables():
        p = inspect.signature(f).parameters.get("lib")
        if p is not None and where != "backguide.library.resolve":
            assert p.default is None, where
