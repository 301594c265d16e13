"""The suggested class of a message, by keyword rules kept as data (data/class_rules.json).

Pure (no Django): the rules are a list of (class, keywords); the class whose keywords the text
hits most is suggested, the earlier rule winning a tie (so 投诉 before 咨询 when a complaint is
phrased as a question). A person confirms the class; the suggestion is never final.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).with_name("data") / "class_rules.json"
FALLBACK = "consult"


@dataclass(frozen=True)
class Suggestion:
    message_class: str
    hits: tuple[str, ...]  # the keywords found, to show why


@lru_cache(maxsize=1)
def default_rules() -> tuple[tuple[str, tuple[str, ...]], ...]:
    loaded = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return tuple((rule["class"], tuple(rule["keywords"])) for rule in loaded["rules"])


def suggest_class(text: str, rules=None) -> Suggestion:
    rules = default_rules() if rules is None else rules
    folded = (text or "").replace(" ", "")
    best: Suggestion | None = None
    for message_class, keywords in rules:
        hits = tuple(word for word in keywords if word in folded)
        if hits and (best is None or len(hits) > len(best.hits)):
            best = Suggestion(message_class, hits)
    return best or Suggestion(FALLBACK, ())
