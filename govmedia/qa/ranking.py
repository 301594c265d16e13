"""The ranking of suggested answers, a pure core (no Django): BM25 over jieba tokens (and single
characters) picks the candidates, rapidfuzz re-scores them by how close the wording is to an entry's question or one
of its variants.

BM25 alone favours an entry that repeats a rare word; the re-score favours the entry whose
question reads most like the message, which is what a paraphrase has in common with it. The index
is built once over the published entries and asked many times; validity is a mask applied per
question, so an entry that expires tomorrow needs no rebuild.
"""

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import date

import bm25s
import numpy as np
from rapidfuzz import fuzz

with warnings.catch_warnings():  # jieba 0.42's regexes have escapes Python 3.12 will refuse
    warnings.simplefilter("ignore", DeprecationWarning)
    import jieba

jieba.setLogLevel(logging.WARNING)
# bm25s sets its own logger to DEBUG on import: each index rebuild printed a line to stderr.
logging.getLogger("bm25s").setLevel(logging.WARNING)

# Particles, pronouns and question words a citizen adds to any question: they say nothing about
# which entry is meant.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "我",
        "我们",
        "你",
        "你们",
        "您",
        "他",
        "她",
        "它",
        "请问",
        "请",
        "想",
        "要",
        "能",
        "能否",
        "可以",
        "可不可以",
        "怎么",
        "怎样",
        "怎么样",
        "如何",
        "什么",
        "哪些",
        "哪里",
        "哪儿",
        "多少",
        "几",
        "有",
        "有没有",
        "没有",
        "一下",
        "一个",
        "这个",
        "那个",
        "就",
        "都",
        "还",
        "也",
        "又",
        "吗",
        "该",
        "应该",
        "需要",
        "去",
        "到",
        "对",
        "把",
        "被",
        "给",
        "让",
        "为",
        "为什么",
        "谁",
        "呢",
    ]
)
WORD = re.compile(r"[\w\u4e00-\u9fff]")
CANDIDATES = 30  # how many BM25 hits are re-scored
BM25_WEIGHT = 0.5  # the rest is the wording's closeness
OPEN_START, OPEN_END = 0, date.max.toordinal()


def tokens(text: str) -> list[str]:
    """The words of `text` that can tell entries apart, lower-cased; a long word also gives its
    parts (结婚登记: 结婚, 登记, 结婚登记), so a message saying 结婚 meets it."""
    return [
        word
        for word in (w.strip().lower() for w in jieba.lcut_for_search(text or "", HMM=False))
        if word and word not in STOPWORDS and WORD.search(word)
    ]


def characters(text: str) -> str:
    """Each Chinese character on its own. A citizen's paraphrase often shares characters but
    not words with the entry ("弄丢了…补一张" and "丢了怎么补办"); BM25's IDF keeps the common
    characters from mattering."""
    return "".join(c for c in text or "" if "\u4e00" <= c <= "\u9fff" and c not in STOPWORDS)


def entry_terms(question: str, variants) -> dict:
    """What an entry stores (QAEntry.search_tokens) when its text is written, so that rebuilding
    the index segments nothing: the words of the question and of each variant ("phrases"), and
    the characters BM25 counts besides (the question's twice, the variants' once: "chars")."""
    return {
        "phrases": [tokens(p) for p in (question, *variants) if p],
        "chars": characters(question) * 2 + characters("".join(variants)),
    }


@dataclass(frozen=True)
class Doc:
    id: int
    question: str
    variants: tuple[str, ...] = ()
    answer: str = ""
    basis: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    # entry_terms(question, variants) if stored; computed when None.
    terms: dict | None = None


@dataclass(frozen=True)
class Hit:
    id: int
    score: float  # 0–1, higher is better
    bm25: float
    closeness: float
    doc: Doc


class Index:
    """BM25 over each entry's question (counted twice) and variants, as words and characters.
    The answer is left out: it names other services in passing (身份证 in the answer on 结婚证),
    which pulls the wrong entries up."""

    def __init__(self, docs: list[Doc]):
        self.ids = np.array([d.id for d in docs], dtype=np.int64)
        self.starts = np.array(
            [d.valid_from.toordinal() if d.valid_from else OPEN_START for d in docs],
            dtype=np.int64,
        )
        self.ends = np.array(
            [d.valid_to.toordinal() if d.valid_to else OPEN_END for d in docs], dtype=np.int64
        )
        self.docs = docs
        stored = [d.terms or entry_terms(d.question, d.variants) for d in docs]
        phrases = [terms["phrases"] for terms in stored]
        # The phrasings re-scoring compares with: the question and each variant, as words.
        self.phrasings = [[" ".join(words) for words in doc] for doc in phrases]
        # An entry is suggested only if it shares a word with the message: characters alone
        # (子 of 孩子 and of 量子) rank, they do not make an entry relevant.
        self.words = [frozenset(w for words in doc for w in words) for doc in phrases]
        corpus = [
            (doc[0] if doc else []) + [w for words in doc for w in words] + list(terms["chars"])
            for doc, terms in zip(phrases, stored, strict=True)
        ]
        self.retriever = bm25s.BM25()
        if docs:
            self.retriever.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, text: str, *, on: date, limit: int = 5) -> list[Hit]:
        """The best `limit` entries valid on `on` for `text`, best first; none without a
        shared word."""
        query_words = tokens(text)
        vocabulary = getattr(self.retriever, "vocab_dict", {})
        words = [w for w in query_words + list(characters(text)) if w in vocabulary]
        if not words or limit <= 0:
            return []
        scores = np.asarray(self.retriever.get_scores(words), dtype=np.float64)
        day = on.toordinal()
        scores[(self.starts > day) | (self.ends < day)] = 0.0
        found = int(np.count_nonzero(scores))
        if not found:
            return []
        take = min(CANDIDATES, found)
        best = np.argpartition(-scores, take - 1)[:take]
        top = float(scores[best].max())
        query = " ".join(query_words)
        hits = []
        for position in best:
            if self.words[position].isdisjoint(query_words):
                continue
            closeness = max(
                (fuzz.token_set_ratio(query, p) for p in self.phrasings[position]), default=0.0
            )
            bm25 = float(scores[position]) / top
            score = BM25_WEIGHT * bm25 + (1 - BM25_WEIGHT) * closeness / 100
            doc = self.docs[position]
            hits.append(Hit(doc.id, round(score, 4), bm25, closeness / 100, doc))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]
