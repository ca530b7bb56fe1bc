"""A real-sized file: 2,000 participants with a few bad rows scattered through it."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from models import Participant, Session
from models.identity import with_check_digit
from services import imports, queue
from tests.factories import make_unit, make_user

ROWS = 2000
BAD = {137: "personnummer", 901: "kommun", 1999: "stödnivå"}


def _pnr(n: int) -> str:
    nine = f"8{n % 10}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return with_check_digit(nine)


def _file() -> bytes:
    lines = ["Externt id;Förnamn;Efternamn;Kommun;Personnummer;Stödnivå;Kompetenser"]
    for n in range(1, ROWS + 1):
        pnr, town, level = _pnr(n), "Karlskoga", "2"
        if BAD.get(n) == "personnummer":
            pnr = pnr[:-1] + str((int(pnr[-1]) + 1) % 10)
        if BAD.get(n) == "kommun":
            town = "Atlantis"
        if BAD.get(n) == "stödnivå":
            level = "7"
        lines.append(f"P{n};Namn{n};Efternamn;{town};{pnr};{level};lager, truckkort")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.slow
def test_a_real_sized_file_with_bad_rows_is_refused_whole_then_imported_fixed(app, capsys) -> None:
    """Are the three bad rows among 2,000 named, nothing imported, and the fixed file imported whole?"""
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    content = _file()
    started = time.perf_counter()
    item = imports.upload(coach, unit.id, "participants", "big.csv", content)
    queue.run_ready()
    Session.refresh(item)
    checked = time.perf_counter() - started
    assert {p["line"] for p in item.result["problems"]} == {n + 1 for n in BAD}
    assert item.result["counts"] == {"create": ROWS - 3, "change": 0, "unchanged": 0, "refused": 3}
    assert Session.scalar(select(func.count()).select_from(Participant)) == 0

    good = b"\n".join(line for i, line in enumerate(content.split(b"\n")) if i not in BAD)
    item = imports.upload(coach, unit.id, "participants", "big.csv", good)
    queue.run_ready()
    started = time.perf_counter()
    imports.start(coach, item.id)
    queue.run_ready()
    imported = time.perf_counter() - started
    Session.refresh(item)
    assert item.status == "imported"
    assert Session.scalar(select(func.count()).select_from(Participant)) == ROWS - 3
    with capsys.disabled():
        print(f"\n{ROWS} rows: dry run {checked:.1f} s, import {imported:.1f} s")
