"""Synthetic, labelled matching data built from the real JobTech export.

Offers are occupations: the title is an occupation name (as in the taxonomy, sometimes one half
of "A/B"), the description the SSYK-4 group's definition, the skills 3-6 of the group's skills.
Participants name the occupation they want the way people and employers write job titles: a
job-title term the JobTech ontology links to that occupation name (often misspelt: the ads'
own misspellings are among them), plus typing slips of our own; their skills are 3-6 of the
group's skills, with slips, plus one skill of another group. Homes and offers are placed at
random in one region, so distance orders but never decides.

Graded relevance: 3 the offer is the occupation the person named, 2 another occupation of the
same SSYK-4 group, 1 an occupation of a group the taxonomy says the person's group can do
(substitutability), 0 otherwise.

`cipher` turns a dataset into one whose words no vocabulary knows (every letter replaced by
another, the same way in offers and participants): the text of every term changes, its shape
does not, so plain text methods see the same thing and the engine can lean on nothing it knows.
That is the "English or invented job titles" case, at its most extreme.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, replace
from pathlib import Path

from matcher.types import Location, Offer, Participant

REGION_CENTRE = (59.27, 15.21)  # Örebro: a mid-sized labour market
GROUPS_FILE = "ssyk-level-4-groups.json"


@dataclass(frozen=True)
class Name:
    id: str
    label: str
    variants: tuple[str, ...]  # job-title terms linked to this name (ads' spellings)


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    definition: str
    names: tuple[Name, ...]
    skills: tuple[str, ...]  # skill labels
    related: dict[str, float]  # group id -> substitutability weight


@dataclass(frozen=True)
class Settings:
    groups: int = 150
    names_per_group: int = 4
    offers_per_name: int = 2
    participants: int = 400
    seed: int = 1
    noise: float = 0.25  # chance of a typing slip per term (participants; offers half of it)
    foreign_skills: int = 1  # skills from another group added to each participant
    region_km: float = 60.0
    min_skills: int = 6


@dataclass
class Dataset:
    offers: list[Offer]
    participants: list[Participant]
    offer_name: dict[str, str]
    offer_group: dict[str, str]
    participant_name: dict[str, str]
    participant_group: dict[str, str]
    groups: dict[str, Group]

    def relevance(self, participant_id: str) -> dict[str, float]:
        """Offer id -> grade (3 same occupation, 2 same group, 1 substitutable group)."""
        name = self.participant_name[participant_id]
        group = self.groups[self.participant_group[participant_id]]
        grades: dict[str, float] = {}
        for offer_id, offer_group in self.offer_group.items():
            if self.offer_name[offer_id] == name:
                grades[offer_id] = 3.0
            elif offer_group == group.id:
                grades[offer_id] = 2.0
            elif offer_group in group.related:
                grades[offer_id] = 1.0
        return grades


def definitions(directory: Path) -> dict[str, str]:
    """SSYK-4 group id -> its Swedish definition, from the export's groups file."""
    path = Path(directory) / GROUPS_FILE
    if not path.exists():
        return {}
    concepts = json.loads(path.read_text(encoding="utf-8"))["data"]["concepts"]
    return {c["id"]: c.get("definition") or "" for c in concepts}


def taxonomy_groups(vocabulary, min_skills: int, defs: dict[str, str] | None = None):
    """Occupation groups with at least one name and `min_skills` skills, from a vocabulary
    loaded from JobTech files: groups are the occupations that occupation names belong to."""
    defs = defs or {}
    names: dict[str, list[Name]] = {}
    for c in vocabulary.concepts():
        if c.kind == "occupation" and len(c.occupations) == 1 and not c.id.startswith("yrke:"):
            variants = tuple(s for s in c.synonyms if s.casefold() != c.label_sv.casefold())
            names.setdefault(c.occupations[0], []).append(Name(c.id, c.label_sv, variants))
    groups = {}
    for group_id in sorted(names):
        skills = sorted(vocabulary.concept(s).label_sv for s in vocabulary.skills_for(group_id))
        if len(skills) >= min_skills:
            groups[group_id] = Group(
                group_id,
                vocabulary.concept(group_id).label_sv,
                defs.get(group_id, ""),
                tuple(sorted(names[group_id], key=lambda n: n.id)),
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


def _write(label: str, rng: random.Random, noise: float) -> str:
    """What a person types for a taxonomy label: the short form of "thing, kind", one half of
    "A/B", a typing slip, lower case."""
    text = label
    if "," in text and rng.random() < 0.6:
        text = text.split(",")[0].strip() or text
    if "/" in text and rng.random() < 0.5:
        text = rng.choice([p for p in text.split("/") if p.strip()]).strip()
    if rng.random() < noise:
        text = misspell(text, rng)
    if rng.random() < noise / 2:
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


def build_dataset(vocabulary, settings: Settings, defs: dict[str, str] | None = None) -> Dataset:
    """Offers and participants sampled from the taxonomy in `vocabulary` (and the groups'
    definitions `defs`); deterministic for a seed."""
    rng = random.Random(settings.seed)
    groups = taxonomy_groups(vocabulary, settings.min_skills, defs)
    if len(groups) < 2:
        raise ValueError("the taxonomy has fewer than two usable occupation groups")
    chosen = _choose_groups(groups, settings.groups, rng)
    offers, offer_name, offer_group = [], {}, {}
    offered: dict[str, list[Name]] = {}
    for group_id in chosen:
        g = groups[group_id]
        names = rng.sample(g.names, min(len(g.names), settings.names_per_group))
        offered[group_id] = names
        for name in names:
            for k in range(settings.offers_per_name):
                skills = rng.sample(g.skills, min(len(g.skills), rng.randint(3, 6)))
                n_req = rng.randint(1, max(1, len(skills) - 1))
                offer_id = f"o-{name.id}-{k}"
                title = name.label
                if "/" in title and rng.random() < 0.5:
                    title = rng.choice([p for p in title.split("/") if p.strip()]).strip()
                offers.append(
                    Offer(
                        id=offer_id,
                        title=title,
                        location=_place(rng, settings.region_km),
                        description=g.definition,
                        skills_required=tuple(
                            _write(s, rng, settings.noise / 2) for s in skills[:n_req]
                        ),
                        skills_desired=tuple(
                            _write(s, rng, settings.noise / 2) for s in skills[n_req:]
                        ),
                    )
                )
                offer_name[offer_id], offer_group[offer_id] = name.id, group_id
    participants, participant_name, participant_group = [], {}, {}
    for n in range(settings.participants):
        g = groups[rng.choice(chosen)]
        name = rng.choice(offered[g.id])
        others = [groups[o] for o in chosen if o != g.id]
        skills = rng.sample(g.skills, min(len(g.skills), rng.randint(3, 6)))
        for _ in range(settings.foreign_skills):
            skills.append(rng.choice(rng.choice(others).skills))
        wanted = rng.choice(name.variants) if name.variants else name.label
        participant_id = f"p{n:05d}"
        participants.append(
            Participant(
                id=participant_id,
                location=_place(rng, settings.region_km),
                skills=tuple(_write(s, rng, settings.noise) for s in skills),
                interests=(_write(wanted, rng, settings.noise),),
            )
        )
        participant_name[participant_id], participant_group[participant_id] = name.id, g.id
    return Dataset(
        offers, participants, offer_name, offer_group, participant_name, participant_group, groups
    )


_LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"


def cipher(dataset: Dataset, seed: int = 0) -> Dataset:
    """The same dataset in a made-up language: each letter replaced by another (one fixed
    permutation, case kept), in every text of offers and participants; labels unchanged."""
    rng = random.Random(f"cipher-{seed}")
    shuffled = list(_LETTERS)
    rng.shuffle(shuffled)
    table = {**dict(zip(_LETTERS, shuffled, strict=True))}
    table.update({a.upper(): b.upper() for a, b in zip(_LETTERS, shuffled, strict=True)})
    trans = str.maketrans(table)

    def t(text: str) -> str:
        return text.translate(trans)

    offers = [
        replace(
            o,
            title=t(o.title),
            description=t(o.description),
            skills_required=tuple(map(t, o.skills_required)),
            skills_desired=tuple(map(t, o.skills_desired)),
        )
        for o in dataset.offers
    ]
    people = [
        replace(p, skills=tuple(map(t, p.skills)), interests=tuple(map(t, p.interests)))
        for p in dataset.participants
    ]
    return replace(dataset, offers=offers, participants=people)
