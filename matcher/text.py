"""TF-IDF of character 3-5-grams within word boundaries, fitted fast on many offers.

Exactly scikit-learn's `TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
sublinear_tf=True, max_df=...)` (a test holds it to that), but counted differently: char_wb
n-grams never cross a word, so a document's n-gram counts are the sum of its words' counts.
Offers repeat the same few thousand words, so the n-grams of each distinct word are generated
once and the document x n-gram counts come from one sparse product (documents x words) @
(words x n-grams). scikit-learn's own `_count_vocab` walks every n-gram of every document in
Python: 15-30 s for 50,000 offers on this machine, against 2-4 s here. The weighting itself is
scikit-learn's `TfidfTransformer`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

CHUNK = 5_000  # documents per step of the fit


def _keep_columns(m: sp.csr_matrix, remap: np.ndarray, width: int) -> sp.csr_matrix:
    """`m` with columns renumbered by `remap` and those mapped to -1 dropped."""
    new_cols = remap[m.indices]
    kept = new_cols >= 0
    kept_before = np.concatenate(([0], np.cumsum(kept)))
    return sp.csr_matrix(
        (m.data[kept], new_cols[kept], kept_before[m.indptr]), shape=(m.shape[0], width)
    )


def word_ngrams(word: str, min_n: int = 3, max_n: int = 5) -> list[str]:
    """scikit-learn's char_wb n-grams of one (lower-cased) word, padded with a space each side;
    a word shorter than n yields itself padded, once."""
    padded = f" {word} "
    grams = []
    for n in range(min_n, max_n + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < len(padded):
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:
            break
    return grams


class CharNgramTfidf:
    """fit_transform / transform like scikit-learn's vectorizer; `vocabulary_` and `idf_` too."""

    def __init__(self, max_df: float = 1.0, dtype=np.float32):
        self.max_df = max_df
        self.dtype = dtype
        self.vocabulary_: dict[str, int] = {}
        self.idf_ = np.zeros(0)
        self._word_cols: dict[str, np.ndarray] = {}

    # -- fitting -------------------------------------------------------------------------------

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Fit on `docs` and return their TF-IDF rows. Works in chunks of documents so that the
        intermediate products stay small (peak memory, not speed, is what chunking buys)."""
        words: dict[str, int] = {}
        doc_words = [self._word_ids(docs[i : i + CHUNK], words) for i in range(0, len(docs), CHUNK)]
        grams: dict[str, int] = {}
        g_indptr, g_indices = [0], []
        for w in words:
            g_indices.extend(grams.setdefault(g, len(grams)) for g in word_ngrams(w))
            g_indptr.append(len(g_indices))
        word_grams = sp.csr_matrix(
            (np.ones(len(g_indices)), np.array(g_indices, dtype=np.int64), np.array(g_indptr)),
            shape=(len(words), len(grams)),
        )
        counts = []  # per chunk: documents x n-grams, duplicates summed by scipy
        df = np.zeros(len(grams), dtype=np.int64)
        for indices, indptr in doc_words:
            part = sp.csr_matrix(
                (np.ones(len(indices)), indices, indptr), shape=(len(indptr) - 1, len(words))
            )
            part = part @ word_grams
            df += np.bincount(part.indices, minlength=len(grams))
            counts.append(part)
        del doc_words
        limit = self.max_df * len(docs) if isinstance(self.max_df, float) else self.max_df
        names = np.array(list(grams), dtype=object)
        keep = np.flatnonzero(df <= limit)
        order = keep[np.argsort(names[keep], kind="stable")]  # scikit-learn sorts its features
        if not len(order):  # no text at all: a model that maps everything to the empty row
            self.vocabulary_, self.idf_, self._word_cols = {}, np.zeros(0), {}
            return sp.csr_matrix((len(docs), 0), dtype=self.dtype)
        remap = np.full(len(grams), -1, dtype=np.int64)
        remap[order] = np.arange(len(order))
        for n, part in enumerate(counts):
            counts[n] = _keep_columns(part, remap, len(order))
        all_counts = sp.vstack(counts, format="csr")
        del counts
        self.vocabulary_ = {str(names[c]): i for i, c in enumerate(order)}
        self._transformer = TfidfTransformer(sublinear_tf=True).fit(all_counts)
        self.idf_ = self._transformer.idf_
        self._word_cols = {}
        rows = [
            self._transformer.transform(all_counts[i : i + CHUNK]).astype(self.dtype)
            for i in range(0, len(docs), CHUNK)
        ]
        return sp.vstack(rows, format="csr")

    @staticmethod
    def _word_ids(docs: Sequence[str], words: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Word ids of each document (CSR indices and indptr), numbering new words in `words`;
        the loops over all words run in C (2 million words for 50,000 offers)."""
        tokens = [doc.lower().split() for doc in docs]
        flat = list(itertools.chain.from_iterable(tokens))
        for w in dict.fromkeys(flat):
            words.setdefault(w, len(words))
        indices = np.fromiter(map(words.__getitem__, flat), dtype=np.int64, count=len(flat))
        indptr = np.zeros(len(tokens) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(t) for t in tokens])
        return indices, indptr

    def fit(self, docs: Sequence[str]) -> CharNgramTfidf:
        self.fit_transform(docs)
        return self

    # -- transforming new text -----------------------------------------------------------------

    def _cols(self, word: str) -> np.ndarray:
        cols = self._word_cols.get(word)
        if cols is None:
            vocabulary = self.vocabulary_
            found = (vocabulary.get(g) for g in word_ngrams(word))
            cols = np.array([c for c in found if c is not None], dtype=np.int64)
            if len(self._word_cols) < 500_000:
                self._word_cols[word] = cols
        return cols

    def transform_one(self, doc: str) -> sp.csr_matrix:
        """One document as a 1 x n-grams row: sublinear tf x idf, L2-normalised."""
        cols, values = self.weights_one(doc)
        return sp.csr_matrix(
            (values.astype(self.dtype), cols, np.array([0, len(cols)])),
            shape=(1, len(self.vocabulary_)),
        )

    def weights_one(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """`transform_one` as (sorted columns, values): what a query needs, without scipy."""
        parts = [self._cols(w) for w in doc.lower().split()]
        cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        cols, tf = np.unique(cols, return_counts=True)
        values = (1.0 + np.log(tf)) * self.idf_[cols]
        norm = float(np.sqrt(np.dot(values, values)))
        if norm > 0:
            values = values / norm
        return cols, values

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        if not docs:
            return sp.csr_matrix((0, len(self.vocabulary_)), dtype=self.dtype)
        return sp.vstack([self.transform_one(d) for d in docs], format="csr")
