"""An index of offers, built once, that ranks participants against it in milliseconds.

Building resolves every offer's skills and occupation through the vocabulary, fits one TF-IDF
character n-gram model (the expensive part) and packs everything else into flat arrays and
sparse matrices. A query is then a handful of numpy expressions over all offers at once: one
sparse product for text, one for skills, one for occupations, one haversine, the constraint
masks, and `argpartition` for the top k. Only the top k are turned into Python objects.

One offer can change without a rebuild: new and changed offers go to a small tail block that
reuses the fitted vectorizer, replaced and removed rows are masked out of the base block, and the
whole index is refitted lazily, at the next query, once a quarter of it has changed (new words
in many offers would otherwise be missing from the IDF weights).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.constraints import (
    OfferConstraintArrays,
    codes_at,
    feasible_block,
    feasible_without_distance,
    violations,
)
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
from matcher.scoring import (
    COMPONENTS,
    Weights,
    combine,
    coverage,
    distance_component,
    hours_component,
    support_row,
    text_component,
)
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


@dataclass
class _Scored:
    """One participant's feasible rows of one block: components, score, distance per row."""

    block: _Block
    rows: np.ndarray
    comps: dict[str, np.ndarray]
    score: np.ndarray
    dist: np.ndarray


class _Block:
    """Offers packed for vectorised scoring: constraint arrays and sparse feature matrices."""

    def __init__(self, features: list[OfferFeatures], keys: KeySpace, text=None):
        """`text`: the offers' TF-IDF rows as one matrix when already at hand (a full build);
        otherwise each feature's own row is stacked (the small tail block)."""
        self.features = features
        self.ids = [f.offer.id for f in features]
        self.arrays = OfferConstraintArrays.from_offers([f.offer for f in features])
        n = len(features)
        self.alive = np.ones(n, dtype=bool)
        if text is None:
            text = (
                sp.vstack([f.text for f in features], format="csr")
                if features
                else sp.csr_matrix((0, keys.n_text), dtype=np.float32)
            )
        # Stored transposed (n-gram x offer): a query multiplies only the posting lists of its
        # own n-grams, like an inverted index, instead of scanning every offer's row.
        self.text_t = text.T.tocsr()
        self.xyz = unit_vectors(self.arrays.lat, self.arrays.lon)
        # Skills and occupations are stored transposed too (key x offer), for the same reason.
        self.req_t = _rows([f.required_cols for f in features], keys).T.tocsr()
        self.des_t = _rows([f.desired_cols for f in features], keys).T.tocsr()
        self.n_req = np.array([len(f.required) for f in features], dtype=np.float64)
        self.n_des = np.array([len(f.desired) for f in features], dtype=np.float64)
        self.occ_t = _occupation_rows(features, keys).T.tocsr()
        self.support = np.array([f.support for f in features], dtype=np.float64).reshape(n, 3).T
        self.employment = np.array([f.employment for f in features], dtype=np.float64)

    def __len__(self) -> int:
        return len(self.ids)


def _rows(col_lists: list[list[tuple[int, float]]], keys: KeySpace) -> sp.csr_matrix:
    indptr = np.zeros(len(col_lists) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(c) for c in col_lists])
    indices = np.array([c for cols in col_lists for c, _ in cols], dtype=np.int32)
    data = np.array([w for cols in col_lists for _, w in cols], dtype=np.float64)
    return sp.csr_matrix((data, indices, indptr), shape=(len(col_lists), keys.n_skill))


def _occupation_rows(features: list[OfferFeatures], keys: KeySpace) -> sp.csr_matrix:
    """Offer x occupation, each row averaging over the offer's occupations."""
    cols = [[(c, 1.0 / len(f.occupation_cols)) for c in f.occupation_cols] for f in features]
    m = _rows(cols, keys)
    return sp.csr_matrix((m.data, m.indices, m.indptr), shape=(len(features), keys.n_occ))


GATHER_MAX_POSTINGS = 20_000
DENSE_MAX_OFFERS = 5_000  # batches against blocks up to this size use `_score_dense`


def _stack(rows: list[tuple[np.ndarray, np.ndarray]], like: sp.csr_matrix) -> sp.csr_matrix:
    """Participants' (columns, weights) as a B x K matrix to multiply with `like` (K x N), in
    its dtypes (see `text_dot`); columns past K (keys newer than the block) are dropped."""
    width = like.shape[0]
    kept = [(c[c < width], v[c < width]) for c, v in rows]
    indptr = np.zeros(len(kept) + 1, dtype=like.indptr.dtype)
    indptr[1:] = np.cumsum([len(c) for c, _ in kept])
    cols = np.concatenate([c for c, _ in kept]) if kept else np.zeros(0)
    vals = np.concatenate([v for _, v in kept]) if kept else np.zeros(0)
    return sp.csr_matrix(
        (vals.astype(like.dtype), cols.astype(like.indices.dtype), indptr),
        shape=(len(kept), width),
    )


def text_dot(matrix_t: sp.csr_matrix, cols: np.ndarray, weights: np.ndarray, n: int):
    """`posting_dot` for n-grams, whose posting lists can be long: past a few thousand
    postings scipy's sparse product is about 3x faster than the gather (measured at 50,000
    offers), below that its fixed cost of about 0.3 ms dominates."""
    lengths = matrix_t.indptr[cols + 1] - matrix_t.indptr[cols]
    if lengths.sum() <= GATHER_MAX_POSTINGS:
        return posting_dot(matrix_t, cols, weights, n)
    # The query takes the matrix's own dtypes: a mismatch makes scipy upcast (copy) the whole
    # index on every product, 50 ms at 50,000 offers.
    query = sp.csr_matrix(
        (
            weights.astype(matrix_t.dtype),
            cols.astype(matrix_t.indices.dtype),
            np.array([0, len(cols)], dtype=matrix_t.indptr.dtype),
        ),
        shape=(1, matrix_t.shape[0]),
    )
    return (query @ matrix_t).toarray()[0]


def posting_dot(matrix_t: sp.csr_matrix, cols: np.ndarray, weights: np.ndarray, n: int):
    """(query with `weights` at `cols`) @ matrix_t (K x N) as a dense length-N array, reading
    only the K-rows (posting lists) the query uses; keys newer than the matrix are absent."""
    inside = cols < matrix_t.shape[0]
    cols, weights = cols[inside], weights[inside]
    if not len(cols):
        return np.zeros(n)
    starts, ends = matrix_t.indptr[cols], matrix_t.indptr[cols + 1]
    lengths = ends - starts
    if not lengths.sum():
        return np.zeros(n)
    take = np.repeat(ends - lengths.cumsum(), lengths) + np.arange(lengths.sum())
    values = matrix_t.data[take] * np.repeat(weights, lengths)
    return np.bincount(matrix_t.indices[take], weights=values, minlength=n)[:n]


class OfferIndex:
    """Offers ready to be ranked; see the module docstring."""

    def __init__(self, offers: Sequence[Offer], vocabulary=None, weights: Weights | None = None):
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
        docs = [OfferFeatures.document(o) for o in offers]
        text = self.vectorizer.fit_transform(docs) if docs else None
        self.keys.n_text = len(getattr(self.vectorizer, "vocabulary_", {}))
        self._query_vectorizer = QueryVectorizer(self.vectorizer) if docs else None
        features = [offer_features(o, self.vocabulary, self.keys, None) for o in offers]
        self._base = _Block(features, self.keys, text)
        self._tail_features: dict[str, OfferFeatures] = {}
        self._tail: _Block | None = None
        self._tail_dirty = False
        self._where: dict[str, tuple[str, int]] = {
            oid: ("base", i) for i, oid in enumerate(self._base.ids)
        }
        self._changed = 0

    def _offer_features(self, offer: Offer) -> OfferFeatures:
        text = self.vectorizer.transform([OfferFeatures.document(offer)])
        return offer_features(offer, self.vocabulary, self.keys, text[0])

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
            self._tail = _Block(feats, self.keys) if feats else None
            for i, f in enumerate(feats):
                self._where[f.offer.id] = ("tail", i)
            self._tail_dirty = False

    def _blocks(self) -> list[_Block]:
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

    def _participant(self, participant: Participant) -> ParticipantFeatures:
        return participant_features(participant, self.vocabulary, self.keys, self._query_vectorizer)

    def _score_block(self, block: _Block, pfs: Sequence[ParticipantFeatures]) -> list[_Scored]:
        """For each participant: its feasible rows of the block, scored.

        The cheap constraints are checked over all N offers first; distances are computed only
        for the offers that pass them, and every score component only for the feasible rows.
        Text, skills and occupations are sums over the posting lists of the participant's own
        n-grams and keys (a sparse product, `posting_dot`), never a scan of all offers' rows.
        """
        if len(pfs) > 1 and len(block) <= DENSE_MAX_OFFERS:
            return self._score_dense(block, pfs)
        out = []
        for pf in pfs:
            pc = pf.constraints
            rows = np.flatnonzero(feasible_without_distance(block.arrays, pc) & block.alive)
            dist = chord_km(unit_vectors([pf.lat], [pf.lon]), block.xyz[rows])[0]
            if np.isfinite(pc.max_km):
                keep = dist <= pc.max_km
                rows, dist = rows[keep], dist[keep]
            out.append(self._components(block, pf, rows, dist))
        return out

    def _score_dense(self, block: _Block, pfs: Sequence[ParticipantFeatures]) -> list[_Scored]:
        """The same scores for a chunk of participants x a small block as B x N arrays: for
        allocation-sized problems (thousands of participants, a few thousand offers) numpy's
        per-call overhead, not arithmetic, is what the per-participant path spends its time on."""
        w = self.weights
        n = len(block)
        pcs = [pf.constraints for pf in pfs]
        dist = chord_km(unit_vectors([pf.lat for pf in pfs], [pf.lon for pf in pfs]), block.xyz)
        feasible = feasible_block(block.arrays, pcs, dist) & block.alive[None, :]
        skills = _stack([pf.skill_cols(self.keys) for pf in pfs], block.req_t)
        occupations = _stack([pf.occupation_cols(self.keys) for pf in pfs], block.occ_t)
        text = _stack([pf.text for pf in pfs], block.text_t)

        def col(values) -> np.ndarray:
            return np.array(values, dtype=np.float64)[:, None]

        comps = {
            "skills": coverage((skills @ block.req_t).toarray(), block.n_req[None, :], 1.0),
            "desired": coverage((skills @ block.des_t).toarray(), block.n_des[None, :], 0.5),
            "occupation": np.clip((occupations @ block.occ_t).toarray(), 0.0, 1.0),
            "text": text_component((text @ block.text_t).toarray(), w),
            "distance": distance_component(
                dist, col([pc.max_km for pc in pcs]), w.distance_scale_km
            ),
            "hours": hours_component(
                block.arrays.hours_min[None, :],
                block.arrays.hours_max[None, :],
                col([pc.hours_min for pc in pcs]),
                col([pc.hours_max for pc in pcs]),
            ),
            "support": block.support[[support_row(pf.support_level) for pf in pfs]],
            "employment": np.broadcast_to(block.employment[None, :], (len(pfs), n)),
        }
        score = combine(comps, w)
        out = []
        for b in range(len(pfs)):
            rows = np.flatnonzero(feasible[b])
            parts = {name: values[b, rows] for name, values in comps.items()}
            out.append(_Scored(block, rows, parts, score[b, rows], dist[b, rows]))
        return out

    def _components(self, block: _Block, pf: ParticipantFeatures, rows, dist) -> _Scored:
        w = self.weights
        pc = pf.constraints
        arrays = block.arrays
        n = len(block)
        skills = pf.skill_cols(self.keys)
        comps = {
            "skills": coverage(posting_dot(block.req_t, *skills, n)[rows], block.n_req[rows], 1.0),
            "desired": coverage(posting_dot(block.des_t, *skills, n)[rows], block.n_des[rows], 0.5),
            "occupation": np.clip(
                posting_dot(block.occ_t, *pf.occupation_cols(self.keys), n)[rows], 0.0, 1.0
            ),
            "text": text_component(text_dot(block.text_t, *pf.text, n)[rows], w),
            "distance": distance_component(dist, pc.max_km, w.distance_scale_km),
            "hours": hours_component(
                arrays.hours_min[rows], arrays.hours_max[rows], pc.hours_min, pc.hours_max
            ),
            "support": block.support[support_row(pf.support_level)][rows],
            "employment": block.employment[rows],
        }
        return _Scored(block, rows, comps, combine(comps, w), dist)

    def _score_all(self, pfs: Sequence[ParticipantFeatures]) -> list[list[_Scored]]:
        """Per participant, its scored feasible rows in every non-empty block."""
        parts = [self._score_block(block, pfs) for block in self._blocks() if len(block)]
        return [[part[b] for part in parts] for b in range(len(pfs))]

    # -- participant -> offers -----------------------------------------------------------------

    def rank(
        self,
        participant: Participant,
        top: int = 10,
        *,
        exclude_offer_ids: Iterable[str] = (),
        lang: str = "sv",
    ) -> list[Suggestion]:
        """The participant's best feasible offers, best first, ties broken by offer id.

        Reasons and gaps are structured `Reason`s; `lang` is checked here and used when they are
        rendered (`Reason.render(lang)`), so one ranking serves readers of both languages.
        """
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        return next(self.rank_many([participant], top, exclude_offer_ids=exclude_offer_ids))

    def rank_many(
        self,
        participants: Sequence[Participant],
        top: int = 10,
        *,
        exclude_offer_ids: Iterable[str] = (),
        on_progress: Callable[[int], None] | None = None,
    ) -> Iterator[list[Suggestion]]:
        """`rank` for many participants, scored in chunks (batched sparse products)."""
        excluded = set(exclude_offer_ids)
        for chunk in self._chunks(participants):
            pfs = [self._participant(p) for p in chunk]
            for pf, scored in zip(pfs, self._score_all(pfs), strict=True):
                yield self._top_suggestions(pf, scored, top, excluded)
            if on_progress is not None:
                on_progress(len(chunk))

    def _chunks(self, items: Sequence) -> Iterator[Sequence]:
        size = max(1, min(256, CELLS_PER_CHUNK // max(len(self), 1)))
        for start in range(0, len(items), size):
            yield items[start : start + size]

    def _top_suggestions(self, pf, scored: list[_Scored], top, excluded) -> list[Suggestion]:
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

    def _suggestion(self, pf, part: _Scored, j: int, rank: int) -> Suggestion:
        values = {name: float(part.comps[name][j]) for name in COMPONENTS}
        row = part.rows[j]
        return build_suggestion(
            pf, part.block.features[row], rank, float(part.score[j]), values, float(part.dist[j])
        )

    def explain_exclusions(self, participant: Participant, top: int = 10) -> list[Exclusion]:
        """The participant's infeasible offers, nearest first (ties by id), with reason codes."""
        pf = self._participant(participant)
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
        self, participant: Participant, offer_ids: Sequence[str]
    ) -> list[Suggestion | Exclusion]:
        """Feasibility and score for given offers (a manual match), in the order given.

        A feasible offer gets a Suggestion whose rank is its place among the feasible ones by
        score; an infeasible one an Exclusion with its codes. Unknown ids raise KeyError.
        """
        for oid in offer_ids:
            if oid not in self._where:
                raise KeyError(f"no offer {oid!r} in the index")
        pf = self._participant(participant)
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

    # -- allocation and the other direction ----------------------------------------------------

    def feasible_scores(
        self,
        participants: Sequence[Participant],
        top: int = 20,
        on_progress: Callable[[int], None] | None = None,
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
            pfs = [self._participant(p) for p in chunk]
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
        self, offer: Offer, participants: Sequence[Participant], top: int = 10
    ) -> list[Suggestion]:
        """The best feasible participants for one offer (for employers and coaches), best
        first, ties broken by participant id; `rank` in each Suggestion is that order."""
        if self.keys.n_text == 0:  # an empty index has no fitted text model yet
            return OfferIndex([offer], self.vocabulary, self.weights).rank_participants(
                offer, participants, top
            )
        feats = self._offer_features(offer)
        block = _Block([feats], self.keys)
        found = []
        for chunk in _plain_chunks(participants, 2048):
            pfs = [self._participant(p) for p in chunk]
            for pf, part in zip(pfs, self._score_block(block, pfs), strict=True):
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
