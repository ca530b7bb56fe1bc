"""Small hand-made vocabulary and builders shared by the ranking tests."""

from __future__ import annotations

import pytest

from matcher.types import Location, Offer, Participant
from matcher.vocab import Concept, Vocabulary

KARLSKOGA = Location(59.3267, 14.5239, "Karlskoga")
DEGERFORS = Location(59.2378, 14.4306, "Degerfors")  # about 11 km from Karlskoga
OREBRO = Location(59.2741, 15.2066, "Örebro")
KIRUNA = Location(67.8557, 20.2251, "Kiruna")


def tiny_vocabulary() -> Vocabulary:
    concepts = [
        Concept("occ.lager", "Lagerarbetare", "Warehouse worker", "occupation",
                synonyms=("lager", "lagerarbete")),
        Concept("occ.truck", "Truckförare", "Forklift driver", "occupation"),
        Concept("occ.stad", "Städare", "Cleaner", "occupation", synonyms=("lokalvårdare",)),
        Concept("occ.vard", "Undersköterska", "Assistant nurse", "occupation"),
        Concept("skill.truck", "truckkort", "forklift licence", "skill",
                occupations=("occ.lager", "occ.truck"),
                synonyms=("truckförarbevis", "truckkort a+b")),
        Concept("skill.b", "B-körkort", "driving licence B", "skill", synonyms=("körkort b",)),
        Concept("skill.stad", "lokalvård", "cleaning", "skill", occupations=("occ.stad",),
                synonyms=("städning",)),
        Concept("skill.kassa", "kassavana", "cashier experience", "skill"),
    ]  # fmt: skip
    return Vocabulary.from_concepts(concepts, {"occ.lager": {"occ.truck": 0.75}})


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    return tiny_vocabulary()


def offer(offer_id: str = "o1", **kw) -> Offer:
    kw.setdefault("title", "Lagerarbetare")
    kw.setdefault("location", KARLSKOGA)
    return Offer(id=offer_id, **kw)


def person(participant_id: str = "p1", **kw) -> Participant:
    kw.setdefault("location", DEGERFORS)
    return Participant(id=participant_id, **kw)
