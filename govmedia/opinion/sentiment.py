"""An offline, explainable sentiment score for public comments (pure, no Django).

No model is downloaded or trained: the lexicon (data/sentiment.json) lists negative and positive
expressions with a weight, negations, intensifiers and contrast words, and the score is the sum
of what it found, so a page can show the words that drove it. The text is folded as screening
folds it (traditional to simplified, full width) and segmented with jieba (its own bundled
dictionary, loaded once).

Rules, in order of the tokens of each clause (a clause ends at punctuation):
- a sentiment word scores its weight (negative words below zero);
- a negation (不, 没有, 无 …) before it in the same clause, with at most two tokens between,
  flips it: a positive word by 0.8 (不满意, 不太好 are negative), a negative one by 0.5
  (没有问题 is reassurance, mildly positive);
- an intensifier just before it (太, 非常 …) multiplies it;
- a clause after a contrast word (但是, 不过 …) counts 1.5 times: "态度还行，但是问题没解决";
- jieba often keeps a negation or intensifier glued to the word (不好, 太差, 非常感谢): a token
  not in the lexicon is read as prefix + the longest lexicon word it ends with.

The label is negative below −THRESHOLD, positive above +THRESHOLD, neutral between; the score
reported is tanh(total / 2), in (−1, 1).
"""

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from govmedia.screening.engine.folding import fold_chars

LEXICON_PATH = Path(__file__).with_name("data") / "sentiment.json"
THRESHOLD = 0.75
NEGATION_REACH = 3  # tokens between a negation and the word it negates, at most this minus one
# A negated positive word is nearly as negative as the word was positive (不满意, 不好); a negated
# negative one is only mildly positive (没有问题 is reassurance, not praise).
NEGATED_POSITIVE = -0.8
NEGATED_NEGATIVE = -0.5
CONTRAST_FACTOR = 1.5
CLAUSE_END = re.compile(r"^[，。！？!?；;,.…、\s~～]+$")


@dataclass(frozen=True)
class Lexicon:
    negative: dict[str, float]
    positive: dict[str, float]
    negations: frozenset[str]
    intensifiers: dict[str, float]
    contrast: frozenset[str]
    ignore: frozenset[str] = frozenset()
    longest: int = field(default=0)

    def weight(self, word: str) -> float | None:
        if word in self.negative:
            return -self.negative[word]
        if word in self.positive:
            return self.positive[word]
        return None


@cache
def lexicon() -> Lexicon:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    words = [*data["negative"], *data["positive"]]
    return Lexicon(
        negative={fold_chars(k): float(v) for k, v in data["negative"].items()},
        positive={fold_chars(k): float(v) for k, v in data["positive"].items()},
        negations=frozenset(fold_chars(w) for w in data["negations"]),
        intensifiers={fold_chars(k): float(v) for k, v in data["intensifiers"].items()},
        contrast=frozenset(fold_chars(w) for w in data["contrast"]),
        ignore=frozenset(fold_chars(w) for w in data.get("ignore", ())),
        longest=max(len(w) for w in words),
    )


@cache
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    # The lexicon's expressions are cut whole (jieba would cut 无语 into 无 语, 等不起 into 等 不起),
    # and so are set phrases that are not sentiment (好几天, 请问), so 好 in them never counts.
    lex = lexicon()
    for phrase in (*lex.negative, *lex.positive, *lex.ignore):
        if len(phrase) > 1:
            tokenizer.add_word(phrase, freq=100000)
    return tokenizer


@dataclass(frozen=True)
class Score:
    label: str  # "negative" | "neutral" | "positive"
    score: float
    words: list[str]  # the expressions that counted, as written (不满意, 没有问题)
    weights: list[float]

    def as_json(self) -> dict:
        return {"label": self.label, "score": self.score, "words": self.words}


def _split(token: str, lex: Lexicon) -> tuple[str, str] | None:
    """A token jieba glued together, read as (prefix, lexicon word): 不好 → (不, 好)."""
    for size in range(min(lex.longest, len(token) - 1), 0, -1):
        word, prefix = token[-size:], token[:-size]
        if lex.weight(word) is not None and (
            prefix in lex.negations or prefix in lex.intensifiers or len(prefix) == 1
        ):
            return prefix, word
    return None


def _tokens(text: str, lex: Lexicon) -> list[str]:
    tokens = []
    for token in _tokenizer().lcut(text):
        if lex.weight(token) is None and token not in lex.negations and token not in lex.ignore:
            split = _split(token, lex)
            if split is not None:
                tokens.extend(part for part in split if part)
                continue
        tokens.append(token)
    return tokens


def score(text: str) -> Score:
    lex = lexicon()
    tokens = _tokens(fold_chars(text or ""), lex)
    total, words, weights = 0.0, [], []
    clause_factor = 1.0
    since_negation: int | None = None  # tokens since the last negation in this clause
    negation_at = 0
    boost = 1.0
    for index, token in enumerate(tokens):
        if CLAUSE_END.match(token):
            since_negation, boost = None, 1.0
            continue
        if token in lex.contrast:
            clause_factor = CONTRAST_FACTOR
            since_negation, boost = None, 1.0
            continue
        if token in lex.negations:
            since_negation, negation_at = 0, index
            continue
        if token in lex.intensifiers:
            boost = lex.intensifiers[token]
            continue
        weight = lex.weight(token)
        if weight is None:
            if since_negation is not None:
                since_negation += 1
                if since_negation >= NEGATION_REACH:
                    since_negation = None
            boost = 1.0
            continue
        start = index
        if since_negation is not None:
            weight *= NEGATED_POSITIVE if weight > 0 else NEGATED_NEGATIVE
            start = negation_at
            since_negation = None
        weight *= boost * clause_factor
        boost = 1.0
        total += weight
        words.append("".join(tokens[start : index + 1]))
        weights.append(round(weight, 2))
    label = "negative" if total <= -THRESHOLD else "positive" if total >= THRESHOLD else "neutral"
    return Score(label, round(math.tanh(total / 2), 3), words, weights)
