"""Measuring from counts read in the database gives what measuring every row gives."""

from __future__ import annotations

import datetime as dt

import backguide as bg
from backguide.journal import demo
from backguide.journal.counts import read_for_measures

TODAY = dt.date(2026, 12, 7)


def test_counted_done_measures_as_every_row_does(tmp_path):
    with bg.open_store(folder=tmp_path) as store:
        demo.fill(store, people=12, weeks=3, today=TODAY, say=lambda _s: None)
        rows = {t: store.read(t) for t in ("done", "plans", "entries", "pain")}
        counted = read_for_measures(store)
        assert len(counted["done"]) < len(rows["done"]), "fewer rows read"
        assert counted["done"]["n"].sum() == len(rows["done"])
        for by in (["person", "week"], ["person"], ["week"]):
            a = bg.adherence(rows["done"], rows["plans"], rows["entries"], by=by, today=TODAY)
            b = bg.adherence(counted["done"], counted["plans"], counted["entries"], by=by,
                             today=TODAY)
            assert a.equals(b), by
        assert bg.pain_change(rows["pain"]).equals(bg.pain_change(counted["pain"]))
        one = int(rows["done"]["person"].iloc[0])
        mine = read_for_measures(store, person=one)["done"]
        assert set(mine["person"]) == {one}
