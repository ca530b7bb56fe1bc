"""Offers packed for vectorised scoring, and the scoring of participants against them.

An `OfferBlock` holds N offers as constraint arrays and sparse matrices stored transposed
(key x offer, n-gram x offer), so that a participant's query reads only the posting lists of its
own skills, occupations and n-grams. Two scoring paths give the same numbers: one participant at
a time (`score_block` default: cheap constraints over all offers, distances and components only
where they pass), and a chunk of participants as dense B x N arrays (`score_dense`: for
allocation-sized blocks, where numpy's per-call overhead dominated the per-participant path).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.constraints import (
    OfferConstraintArrays,
    feasible_block,
    feasible_without_distance,
)
from matcher.features import KeySpace, OfferFeatures, ParticipantFeatures
from matcher.geo import chord_km, unit_vectors
from matcher.scoring import (
    Weights,
    combine,
    coverage,
    distance_component,
    hours_component,
    support_row,
    text_component,
)


@dataclass
class Scored:
    """One participant's feasible rows of one block: components, score, distance per row."""

    block: OfferBlock
    rows: np.ndarray
    comps: dict[str, np.ndarray]
    score: np.ndarray
    dist: np.ndarray


class OfferBlock:
    """Offers packed for vectorised scoring: constraint arrays and sparse feature matrices."""

    def __init__(self, features: list[OfferFeatures], keys: KeySpace, text=None, titles=None):
        """`text`, `titles`: the offers' TF-IDF rows (whole text, title) as matrices when
        already at hand (a full build); otherwise each feature's own rows are stacked (the
        small tail block)."""
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
        if titles is None:
            titles = (
                sp.vstack([f.title_text for f in features], format="csr")
                if features
                else sp.csr_matrix((0, keys.n_title), dtype=np.float32)
            )
        self.title_t = titles.T.tocsr()
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
DENSE_MAX_OFFERS = 5_000  # batches against blocks up to this size use `score_dense`


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


def score_block(
    block: OfferBlock, pfs: Sequence[ParticipantFeatures], keys: KeySpace, weights: Weights
) -> list[Scored]:
    """For each participant: its feasible rows of the block, scored.

    The cheap constraints are checked over all N offers first; distances are computed only
    for the offers that pass them, and every score component only for the feasible rows.
    Text, skills and occupations are sums over the posting lists of the participant's own
    n-grams and keys (a sparse product, `posting_dot`), never a scan of all offers' rows.
    """
    if len(pfs) > 1 and len(block) <= DENSE_MAX_OFFERS:
        return score_dense(block, pfs, keys, weights)
    out = []
    for pf in pfs:
        pc = pf.constraints
        rows = np.flatnonzero(feasible_without_distance(block.arrays, pc) & block.alive)
        dist = chord_km(unit_vectors([pf.lat], [pf.lon]), block.xyz[rows])[0]
        if np.isfinite(pc.max_km):
            keep = dist <= pc.max_km
            rows, dist = rows[keep], dist[keep]
        out.append(score_rows(block, pf, rows, dist, keys, weights))
    return out


def score_dense(
    block: OfferBlock, pfs: Sequence[ParticipantFeatures], keys: KeySpace, weights: Weights
) -> list[Scored]:
    """The same scores for a chunk of participants x a small block as B x N arrays: for
    allocation-sized problems (thousands of participants, a few thousand offers) numpy's
    per-call overhead, not arithmetic, is what the per-participant path spends its time on."""
    w = weights
    n = len(block)
    pcs = [pf.constraints for pf in pfs]
    dist = chord_km(unit_vectors([pf.lat for pf in pfs], [pf.lon for pf in pfs]), block.xyz)
    feasible = feasible_block(block.arrays, pcs, dist) & block.alive[None, :]
    skills = _stack([pf.skill_cols(keys) for pf in pfs], block.req_t)
    occupations = _stack([pf.occupation_cols(keys) for pf in pfs], block.occ_t)
    text = _stack([pf.text for pf in pfs], block.text_t)
    titles = _stack([pf.title_text for pf in pfs], block.title_t)

    def col(values) -> np.ndarray:
        return np.array(values, dtype=np.float64)[:, None]

    comps = {
        "skills": coverage((skills @ block.req_t).toarray(), block.n_req[None, :], 1.0),
        "desired": coverage((skills @ block.des_t).toarray(), block.n_des[None, :], 0.5),
        "occupation": np.clip((occupations @ block.occ_t).toarray(), 0.0, 1.0),
        "title": np.clip((titles @ block.title_t).toarray(), 0.0, 1.0),
        "text": text_component((text @ block.text_t).toarray(), w),
        "distance": distance_component(dist, col([pc.max_km for pc in pcs]), w.distance_scale_km),
        "hours": hours_component(
            block.arrays.hours_min[None, :],
            block.arrays.hours_max[None, :],
            col([pc.hours_min for pc in pcs]),
            col([pc.hours_max for pc in pcs]),
        ),
        "support": block.support[[support_row(pf.support_level) for pf in pfs]],
        "employment": np.broadcast_to(block.employment[None, :], (len(pfs), n)),
    }
    score = combine(comps, w, col([pf.resolved for pf in pfs]))
    out = []
    for b in range(len(pfs)):
        rows = np.flatnonzero(feasible[b])
        parts = {name: values[b, rows] for name, values in comps.items()}
        out.append(Scored(block, rows, parts, score[b, rows], dist[b, rows]))
    return out


def score_rows(
    block: OfferBlock, pf: ParticipantFeatures, rows, dist, keys: KeySpace, weights: Weights
) -> Scored:
    w = weights
    pc = pf.constraints
    arrays = block.arrays
    n = len(block)
    skills = pf.skill_cols(keys)
    comps = {
        "skills": coverage(posting_dot(block.req_t, *skills, n)[rows], block.n_req[rows], 1.0),
        "desired": coverage(posting_dot(block.des_t, *skills, n)[rows], block.n_des[rows], 0.5),
        "occupation": np.clip(
            posting_dot(block.occ_t, *pf.occupation_cols(keys), n)[rows], 0.0, 1.0
        ),
        "title": np.clip(text_dot(block.title_t, *pf.title_text, n)[rows], 0.0, 1.0),
        "text": text_component(text_dot(block.text_t, *pf.text, n)[rows], w),
        "distance": distance_component(dist, pc.max_km, w.distance_scale_km),
        "hours": hours_component(
            arrays.hours_min[rows], arrays.hours_max[rows], pc.hours_min, pc.hours_max
        ),
        "support": block.support[support_row(pf.support_level)][rows],
        "employment": block.employment[rows],
    }
    return Scored(block, rows, comps, combine(comps, w, pf.resolved), dist)
