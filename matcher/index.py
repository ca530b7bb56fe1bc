"""An index of offers, built once, that ranks participants against it in milliseconds.

Building resolves every offer's skills and occupation through the vocabulary, fits one TF-IDF
character n-gram model and packs everything else into flat arrays and sparse matrices
(`matcher.block`). A query is then a handful of numpy expressions over all offers at once: the
constraint masks, distances, sparse products over the participant's own posting lists, and a
partition for the top k. Only the top k become Python objects, with their reasons.

One offer can change without a rebuild: new and changed offers go to a small tail block that
reuses the fitted vectorizer, replaced and removed rows are masked out of the base block, and the
whole index is refitted lazily, at the next query, once a quarter of it has changed (new words
in many offers would otherwise be missing from the IDF weights).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.block import OfferBlock, Scored, score_block
from matcher.constraints import codes_at, violations
from matcher.features import (
    KeySpace,
    OfferFeatures,
    ParticipantFeatures,
    QueryVectorizer,
    make_vectorizer,
    offer_features,
    participant_features,
)
from matcher.geo import chord_km, unit_vectors
from matcher.reasons import LANGS, build_suggestion
from matcher.scoring import COMPONENTS, Weights
from matcher.types import Exclusion, Offer, Participant, Suggestion

REFIT_SHARE = 0.25
CELLS_PER_CHUNK = 200_000  # participants x offers per batch: large enough to batch the text
# product, small enough that the B x N temporaries stay in cache (measured: bigger is slower)


@dataclass(frozen=True)
class FeasibleScores:
    """Per participant its best feasible offers, flat, for the allocation solvers.

    Pair n is participant `pairs_p[n]` (an index into `participant_ids`) with offer `pairs_o[n]`
    (an index into `offer_ids`) at `scores[n]`; each participant's pairs are consecutive, best
    first. `capacities[o]` is offer o's capacity. Infeasible pairs never appear.
    """

    participant_ids: tuple[str, ...]
    offer_ids: tuple[str, ...]
    capacities: np.ndarray
    pairs_p: np.ndarray
    pairs_o: np.ndarray
    scores: np.ndarray


class OfferIndex:
    """Offers ready to be ranked; see the module docstring."""

    def __init__(
        self,
        offers: Sequence[Offer],
        vocabulary=None,
        weights: Weights | None = None,
        *,
        default_max_km: float | None = None,
    ):
        """`default_max_km`: the commuting limit for participants with none of their own (a
        unit's default); None keeps "no limit means no limit". Every query method also takes
        `default_max_km`, which overrides this one for that call (one index serves many units).
        """
        if default_max_km is not None and not default_max_km >= 0:
            raise ValueError(f"default_max_km must be a number >= 0, got {default_max_km!r}")
        self.default_max_km = default_max_km
        if vocabulary is None:
            from matcher.vocab import Vocabulary

            vocabulary = Vocabulary.load_default()
        self.vocabulary = vocabulary
        self.weights = weights or Weights()
        ids = [o.id for o in offers]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"offer id {dup!r} appears more than once")
        self._fit(list(offers))

    # -- building and incremental change -------------------------------------------------------

    def _fit(self, offers: list[Offer]) -> None:
        self.keys = KeySpace()
        self.vectorizer = make_vectorizer(len(offers))
        self.title_vectorizer = make_vectorizer(len(offers))
        docs = [OfferFeatures.document(o) for o in offers]
        text = self.vectorizer.fit_transform(docs) if docs else None
        titles = (
            self.title_vectorizer.fit_transform([OfferFeatures.title_document(o) for o in offers])
            if docs
            else None
        )
        self.keys.n_text = len(getattr(self.vectorizer, "vocabulary_", {}))
        self.keys.n_title = len(getattr(self.title_vectorizer, "vocabulary_", {}))
        self._query_vectorizer = QueryVectorizer(self.vectorizer) if docs else None
        self._title_query = QueryVectorizer(self.title_vectorizer) if docs else None
        features = [offer_features(o, self.vocabulary, self.keys, None) for o in offers]
        self._base = OfferBlock(features, self.keys, text, titles)
        self._tail_features: dict[str, OfferFeatures] = {}
        self._tail: OfferBlock | None = None
        self._tail_dirty = False
        self._where: dict[str, tuple[str, int]] = {
            oid: ("base", i) for i, oid in enumerate(self._base.ids)
        }
        self._changed = 0

    def _offer_features(self, offer: Offer) -> OfferFeatures:
        text = self.vectorizer.transform([OfferFeatures.document(offer)])
        title = self.title_vectorizer.transform([OfferFeatures.title_document(offer)])
        return offer_features(offer, self.vocabulary, self.keys, text[0], title[0])

    def upsert(self, offer: Offer) -> None:
        """Add or replace one offer; the vectorizer is reused, other rows are untouched."""
        if not self._base.ids and not self._tail_features:
            self._fit([offer])
            return
        self._drop(offer.id)
        self._tail_features[offer.id] = self._offer_features(offer)
        self._where[offer.id] = ("tail", -1)
        self._tail_dirty = True
        self._changed += 1

    def remove(self, offer_id: str) -> None:
        if offer_id not in self._where:
            raise KeyError(f"no offer {offer_id!r} in the index")
        self._drop(offer_id)
        del self._where[offer_id]
        self._changed += 1

    def _drop(self, offer_id: str) -> None:
        where = self._where.get(offer_id)
        if where is None:
            return
        if where[0] == "base":
            self._base.alive[where[1]] = False
        else:
            del self._tail_features[offer_id]
            self._tail_dirty = True

    def _refresh(self) -> None:
        if self._changed > max(50, REFIT_SHARE * max(len(self._base), 1)):
            self._fit(self.offers())
            return
        if self._tail_dirty:
            feats = list(self._tail_features.values())
            self._tail = OfferBlock(feats, self.keys) if feats else None
            for i, f in enumerate(feats):
                self._where[f.offer.id] = ("tail", i)
            self._tail_dirty = False

    def _blocks(self) -> list[OfferBlock]:
        self._refresh()
        return [self._base] if self._tail is None else [self._base, self._tail]

    def offers(self) -> list[Offer]:
        """The live offers, base block first."""
        live = [f.offer for f, ok in zip(self._base.features, self._base.alive, strict=True) if ok]
        return live + [f.offer for f in self._tail_features.values()]

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, offer_id: object) -> bool:
        return offer_id in self._where

    # -- scoring core --------------------------------------------------------------------------

    def _participant(
        self, participant: Participant, default_max_km: float | None = None
    ) -> ParticipantFeatures:
        # Refit (if due) before vectorising the participant, so the query and the offers share
        # one text model and one key space.
        self._refresh()
        limit = self.default_max_km if default_max_km is None else default_max_km
        return participant_features(
            participant, self.vocabulary, self.keys, self._query_vectorizer, limit,
            self._title_query,
        )  # fmt: skip

    def _score_all(self, pfs: Sequence[ParticipantFeatures]) -> list[list[Scored]]:
        """Per participant, its scored feasible rows in every non-empty block."""
        parts = [
            score_block(block, pfs, self.keys, self.weights)
            for block in self._blocks()
            if len(block)
        ]
        return [[part[b] for part in parts] for b in range(len(pfs))]

    # -- participant -> offers -----------------------------------------------------------------

    def rank(
        self,
        participant: Participant,
        top: int = 10,
        *,
        exclude_offer_ids: Iterable[str] = (),
        lang: str = "sv",
        default_max_km: float | None = None,
    ) -> list[Suggestion]:
        """The participant's best feasible offers, best first, ties broken by offer id.

        Reasons and gaps are structured `Reason`s; `lang` is checked here and used when they are
        rendered (`Reason.render(lang)`), so one ranking serves readers of both languages.
        """
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        return next(
            self.rank_many(
                [participant], top, exclude_offer_ids=exclude_offer_ids,
                default_max_km=default_max_km,
            )
        )  # fmt: skip

    def rank_many(
        self,
        participants: Sequence[Participant],
        top: int = 10,
        *,
        exclude_offer_ids: Iterable[str] = (),
        on_progress: Callable[[int], None] | None = None,
        default_max_km: float | None = None,
    ) -> Iterator[list[Suggestion]]:
        """`rank` for many participants, scored in chunks (batched sparse products)."""
        excluded = set(exclude_offer_ids)
        for chunk in self._chunks(participants):
            pfs = [self._participant(p, default_max_km) for p in chunk]
            for pf, scored in zip(pfs, self._score_all(pfs), strict=True):
                yield self._top_suggestions(pf, scored, top, excluded)
            if on_progress is not None:
                on_progress(len(chunk))

    def _chunks(self, items: Sequence) -> Iterator[Sequence]:
        size = max(1, min(256, CELLS_PER_CHUNK // max(len(self), 1)))
        for start in range(0, len(items), size):
            yield items[start : start + size]

    def _top_suggestions(self, pf, scored: list[Scored], top, excluded) -> list[Suggestion]:
        candidates = []
        for part in scored:
            ids = [part.block.ids[r] for r in part.rows] if excluded else None
            keep = (
                np.array([i not in excluded for i in ids], dtype=bool)
                if ids is not None
                else np.ones(len(part.rows), dtype=bool)
            )
            for j in _top_rows(np.where(keep, part.score, -1.0), top, part.block.ids, part.rows):
                candidates.append((-float(part.score[j]), part.block.ids[part.rows[j]], part, j))
        candidates.sort(key=lambda c: (c[0], c[1]))
        return [
            self._suggestion(pf, part, j, n)
            for n, (_s, _i, part, j) in enumerate(candidates[:top], 1)
        ]

    def _suggestion(self, pf, part: Scored, j: int, rank: int) -> Suggestion:
        values = {name: float(part.comps[name][j]) for name in COMPONENTS}
        row = part.rows[j]
        return build_suggestion(
            pf, part.block.features[row], rank, float(part.score[j]), values, float(part.dist[j])
        )

    def explain_exclusions(
        self, participant: Participant, top: int = 10, *, default_max_km: float | None = None
    ) -> list[Exclusion]:
        """The participant's infeasible offers, nearest first (ties by id), with reason codes."""
        pf = self._participant(participant, default_max_km)
        rows = []
        for block in self._blocks():
            if not len(block):
                continue
            dist = chord_km(unit_vectors([pf.lat], [pf.lon]), block.xyz)[0]
            found = violations(block.arrays, pf.constraints, dist)
            bad = np.zeros(len(block), dtype=bool)
            for mask in found.values():
                bad |= mask
            for row in np.flatnonzero(bad & block.alive):
                rows.append((float(dist[row]), block.ids[row], codes_at(found, row)))
        rows.sort(key=lambda r: (r[0], r[1]))
        return [Exclusion(participant.id, oid, codes, round(d, 3)) for d, oid, codes in rows[:top]]

    def score_pairs(
        self,
        participant: Participant,
        offer_ids: Sequence[str],
        *,
        default_max_km: float | None = None,
    ) -> list[Suggestion | Exclusion]:
        """Feasibility and score for given offers (a manual match), in the order given.

        A feasible offer gets a Suggestion whose rank is its place among the feasible ones by
        score; an infeasible one an Exclusion with its codes. Unknown ids raise KeyError.
        """
        for oid in offer_ids:
            if oid not in self._where:
                raise KeyError(f"no offer {oid!r} in the index")
        pf = self._participant(participant, default_max_km)
        scored = {id(part.block): part for part in self._score_all([pf])[0]}
        found: dict[str, Suggestion | Exclusion] = {}
        feasible_ids = []
        for oid in offer_ids:
            kind, row = self._where[oid]
            block = self._base if kind == "base" else self._tail
            part = scored[id(block)]
            j = int(np.searchsorted(part.rows, row))
            if j < len(part.rows) and part.rows[j] == row:
                found[oid] = self._suggestion(pf, part, j, 0)
                feasible_ids.append(oid)
            else:
                dist = chord_km(unit_vectors([pf.lat], [pf.lon]), block.xyz)[0]
                codes = codes_at(violations(block.arrays, pf.constraints, dist), row)
                found[oid] = Exclusion(participant.id, oid, codes, round(float(dist[row]), 3))
        ordered = sorted(feasible_ids, key=lambda o: (-found[o].score, o))
        for n, oid in enumerate(ordered, start=1):
            s = found[oid]
            found[oid] = Suggestion(
                s.participant_id, s.offer_id, n, s.score, s.components, s.reasons, s.gaps,
                s.distance_km,
            )  # fmt: skip
        return [found[oid] for oid in offer_ids]

    def pair_scores(
        self,
        participant: Participant,
        offer_ids: Sequence[str],
        *,
        default_max_km: float | None = None,
    ) -> list[tuple[float | None, float | None]]:
        """(score, distance in km) for given offers, in the order given; the score is None for
        an infeasible offer, both are None for an id not in the index. The cheap half of
        `score_pairs` for listing many offers (a manual-match picker over 2,000 offers): no
        reasons or exclusion codes are built, and the lookups and distances are vectorised."""
        pf = self._participant(participant, default_max_km)
        scored = {id(part.block): part for part in self._score_all([pf])[0]}
        out: list[tuple[float | None, float | None]] = [(None, None)] * len(offer_ids)
        by_block: dict[str, tuple[list[int], list[int]]] = {"base": ([], []), "tail": ([], [])}
        for n, oid in enumerate(offer_ids):
            where = self._where.get(oid)
            if where is not None:
                by_block[where[0]][0].append(n)
                by_block[where[0]][1].append(where[1])
        for kind, (positions, rows) in by_block.items():
            block = self._base if kind == "base" else self._tail
            if not positions or block is None:
                continue
            wanted = np.asarray(rows, dtype=np.int64)
            part = scored.get(id(block))
            found = np.zeros(len(wanted), dtype=bool)
            j = np.zeros(len(wanted), dtype=np.int64)
            if part is not None and len(part.rows):
                j = np.minimum(np.searchsorted(part.rows, wanted), len(part.rows) - 1)
                found = part.rows[j] == wanted
            dist = chord_km(unit_vectors([pf.lat], [pf.lon]), block.xyz[wanted])[0]
            for k, n in enumerate(positions):
                if found[k]:
                    score, km = float(part.score[j[k]]), float(part.dist[j[k]])
                    out[n] = (score, round(km, 3))
                else:
                    out[n] = (None, round(float(dist[k]), 3))
        return out

    # -- allocation and the other direction ----------------------------------------------------

    def feasible_scores(
        self,
        participants: Sequence[Participant],
        top: int = 20,
        on_progress: Callable[[int], None] | None = None,
        *,
        default_max_km: float | None = None,
    ) -> FeasibleScores:
        """Each participant's `top` best feasible offers as flat arrays (see FeasibleScores)."""
        blocks = [b for b in self._blocks() if len(b)]
        offer_ids = []
        offsets, caps = [], []
        for block in blocks:
            offsets.append(len(offer_ids))
            offer_ids.extend(block.ids)
            caps.append(block.arrays.capacity)
        offset_of = {id(block): off for off, block in zip(offsets, blocks, strict=True)}
        pp, po, ps = [], [], []
        done = 0
        for chunk in self._chunks(participants):
            pfs = [self._participant(p, default_max_km) for p in chunk]
            for b, scored in enumerate(self._score_all(pfs)):
                rows, vals = [], []
                for part in scored:
                    off = offset_of[id(part.block)]
                    for j in _top_rows(part.score, top, part.block.ids, part.rows):
                        rows.append(off + int(part.rows[j]))
                        vals.append(float(part.score[j]))
                order = sorted(range(len(rows)), key=lambda i: (-vals[i], offer_ids[rows[i]]))
                for i in order[:top]:
                    pp.append(done + b)
                    po.append(rows[i])
                    ps.append(vals[i])
            done += len(chunk)
            if on_progress is not None:
                on_progress(len(chunk))
        return FeasibleScores(
            participant_ids=tuple(p.id for p in participants),
            offer_ids=tuple(offer_ids),
            capacities=np.concatenate(caps) if caps else np.zeros(0, dtype=np.int64),
            pairs_p=np.array(pp, dtype=np.int64),
            pairs_o=np.array(po, dtype=np.int64),
            scores=np.array(ps, dtype=np.float64),
        )

    def rank_participants(
        self,
        offer: Offer,
        participants: Sequence[Participant],
        top: int = 10,
        *,
        default_max_km: float | None = None,
    ) -> list[Suggestion]:
        """The best feasible participants for one offer (for employers and coaches), best
        first, ties broken by participant id; `rank` in each Suggestion is that order."""
        if self.keys.n_text == 0:  # an empty index has no fitted text model yet
            single = OfferIndex(
                [offer], self.vocabulary, self.weights, default_max_km=self.default_max_km
            )
            return single.rank_participants(offer, participants, top, default_max_km=default_max_km)
        feats = self._offer_features(offer)
        block = OfferBlock([feats], self.keys)
        found = []
        for chunk in _plain_chunks(participants, 2048):
            pfs = [self._participant(p, default_max_km) for p in chunk]
            for pf, part in zip(pfs, score_block(block, pfs, self.keys, self.weights), strict=True):
                if len(part.rows):
                    found.append((-float(part.score[0]), pf.participant.id, pf, part))
        found.sort(key=lambda f: (f[0], f[1]))
        return [
            self._suggestion(pf, part, 0, n) for n, (_s, _i, pf, part) in enumerate(found[:top], 1)
        ]


def _plain_chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _top_rows(scores: np.ndarray, top: int, ids: Sequence[str], rows: np.ndarray) -> list[int]:
    """Positions j of the `top` best non-negative scores, deterministic: every position tied
    with the k-th best is kept, then ordered by (-score, offer id of rows[j])."""
    valid = np.flatnonzero(scores >= 0)
    if top <= 0 or not len(valid):
        return []
    if len(valid) > top:
        vals = scores[valid]
        kth = np.partition(vals, len(vals) - top)[len(vals) - top]
        valid = valid[vals >= kth]
    return sorted(valid.tolist(), key=lambda j: (-scores[j], ids[rows[j]]))[:top]
