"""Synthetic, labelled matching data built from a real taxonomy.

Each participant is drawn from one occupation group (SSYK-4): interests are occupation names of
the group, skills are the group's skills, and the text is made noisy the way people write it
(misspellings, the short form of "thing, kind" labels, English where the project's vocabulary
knows the English word, a few skills from other groups). Offers are drawn the same way from
groups, placed at random in one region so that distance orders but does not decide. An offer is
relevant to a participant with grade 2 when both come from the same group, grade 1 when the
taxonomy says the participant's group can do the offer's group's work (substitutability).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from matcher.types import Location, Offer, Participant
from matcher.vocab.normalise import head_term

REGION_CENTRE = (59.27, 15.21)  # Örebro: a mid-sized labour market


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    names: tuple[str, ...]  # occupation-name labels
    skills: tuple[str, ...]  # skill labels
    related: dict[str, float]  # group id -> substitutability weight


@dataclass(frozen=True)
class Settings:
    groups: int = 80
    offers_per_group: int = 6
    participants: int = 400
    seed: int = 1
    noise: float = 0.25  # chance that one term is misspelled; also scales the other noise
    english: float = 0.3  # chance that a term the project vocabulary knows is written in English
    foreign_skills: int = 1  # skills from another group added to each participant
    region_km: float = 60.0
    min_skills: int = 6


@dataclass
class Dataset:
    offers: list[Offer]
    participants: list[Participant]
    offer_group: dict[str, str]
    participant_group: dict[str, str]
    groups: dict[str, Group]

    def relevance(self, participant_id: str) -> dict[str, float]:
        """Offer id -> grade (2 same group, 1 substitutable group) for one participant."""
        group = self.groups[self.participant_group[participant_id]]
        grades: dict[str, float] = {}
        for offer_id, offer_group in self.offer_group.items():
            if offer_group == group.id:
                grades[offer_id] = 2.0
            elif offer_group in group.related:
                grades[offer_id] = 1.0
        return grades


def taxonomy_groups(vocabulary, min_skills: int) -> dict[str, Group]:
    """Occupation groups with at least one name and `min_skills` skills, from a vocabulary
    loaded from JobTech files: groups are the occupations other occupations belong to."""
    names: dict[str, list[str]] = {}
    for c in vocabulary.concepts():
        if c.kind == "occupation" and len(c.occupations) == 1 and not c.id.startswith("yrke:"):
            names.setdefault(c.occupations[0], []).append(c.label_sv)
    groups = {}
    for group_id in sorted(names):
        skills = sorted(vocabulary.concept(s).label_sv for s in vocabulary.skills_for(group_id))
        if len(skills) >= min_skills:
            groups[group_id] = Group(
                group_id,
                vocabulary.concept(group_id).label_sv,
                tuple(sorted(names[group_id])),
                tuple(skills),
                vocabulary.related_occupations(group_id),
            )
    return groups


def misspell(word: str, rng: random.Random) -> str:
    """One typing slip away from the word: a letter dropped, doubled, swapped or replaced,
    never in the first two letters (people rarely mistype the start of a word)."""
    if len(word) < 5:
        return word
    i = rng.randrange(3, len(word) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return word[:i] + word[i + 1 :]
    if slip == 1:
        return word[:i] + word[i] + word[i:]
    if slip == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice("aeiorsntlk") + word[i + 1 :]


class _Writer:
    """Turns taxonomy labels into what a person or employer might type."""

    def __init__(self, settings: Settings, rng: random.Random, english_of) -> None:
        self.settings, self.rng, self.english_of = settings, rng, english_of

    def term(self, label: str) -> str:
        rng, s = self.rng, self.settings
        text = label
        if "," in text and rng.random() < 0.6:
            text = head_term(text).capitalize() or text  # "Python, programmeringsspråk" -> "Python"
        if "/" in text and rng.random() < 0.5:
            text = rng.choice([p for p in text.split("/") if p.strip()]).strip()
        english = self.english_of(text)
        if english and rng.random() < s.english:
            text = english
        if rng.random() < s.noise:
            text = misspell(text, rng)
        if rng.random() < s.noise / 2:
            text = text.lower()
        return text


def _place(rng: random.Random, radius_km: float) -> Location:
    r = radius_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    lat = REGION_CENTRE[0] + (r / 111.2) * math.cos(angle)
    lon = REGION_CENTRE[1] + (r / (111.2 * math.cos(math.radians(REGION_CENTRE[0])))) * math.sin(
        angle
    )
    return Location(round(lat, 5), round(lon, 5))


def _choose_groups(groups: dict[str, Group], count: int, rng: random.Random) -> list[str]:
    """Anchors at random, each followed by up to two of its substitutable groups, so that
    grade-1 offers exist for many participants."""
    order = sorted(groups)
    rng.shuffle(order)
    chosen: dict[str, None] = {}
    for anchor in order:
        if len(chosen) >= count:
            break
        chosen[anchor] = None
        related = sorted(
            (g for g in groups[anchor].related if g in groups and g not in chosen),
            key=lambda g: (-groups[anchor].related[g], g),
        )
        for g in related[:2]:
            if len(chosen) < count:
                chosen[g] = None
    return list(chosen)


def build_dataset(vocabulary, settings: Settings, english_of=lambda _t: None) -> Dataset:
    """Offers and participants sampled from the taxonomy in `vocabulary`; deterministic for a
    seed. `english_of(term)` gives the English way to write a term, or None."""
    rng = random.Random(settings.seed)
    groups = taxonomy_groups(vocabulary, settings.min_skills)
    if len(groups) < 2:
        raise ValueError("the taxonomy has fewer than two usable occupation groups")
    chosen = _choose_groups(groups, settings.groups, rng)
    writer = _Writer(settings, rng, english_of)
    offers, offer_group = [], {}
    for group_id in chosen:
        g = groups[group_id]
        for k in range(settings.offers_per_group):
            skills = rng.sample(g.skills, min(len(g.skills), rng.randint(3, 6)))
            n_req = rng.randint(1, max(1, len(skills) - 1))
            offer_id = f"o-{group_id}-{k}"
            offers.append(
                Offer(
                    id=offer_id,
                    title=writer.term(rng.choice(g.names)),
                    location=_place(rng, settings.region_km),
                    description="Praktikplats med handledare. Vi söker en motiverad person.",
                    skills_required=tuple(writer.term(s) for s in skills[:n_req]),
                    skills_desired=tuple(writer.term(s) for s in skills[n_req:]),
                )
            )
            offer_group[offer_id] = group_id
    participants, participant_group = [], {}
    for n in range(settings.participants):
        g = groups[rng.choice(chosen)]
        others = [groups[o] for o in chosen if o != g.id]
        skills = rng.sample(g.skills, min(len(g.skills), rng.randint(3, 6)))
        for _ in range(settings.foreign_skills):
            skills.append(rng.choice(rng.choice(others).skills))
        interests = rng.sample(g.names, min(len(g.names), rng.randint(1, 2)))
        participant_id = f"p{n:05d}"
        participants.append(
            Participant(
                id=participant_id,
                location=_place(rng, settings.region_km),
                skills=tuple(writer.term(s) for s in skills),
                interests=tuple(writer.term(i) for i in interests),
            )
        )
        participant_group[participant_id] = g.id
    return Dataset(offers, participants, offer_group, participant_group, groups)
