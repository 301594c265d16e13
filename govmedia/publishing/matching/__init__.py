"""Proof of 先审后发 (通知第二部分): every post pulled from a platform is matched to an approved
revision of an article. A pure core: no Django, no database; the caller feeds it revisions.

    judgement = judge(revision_text, post_text, post_html=True)   # one pair
    index = ApprovedIndex()                                       # many revisions
    index.add(revision_pk, text, html=False)
    judgement = index.best(post_text)    # .match, .score (0–100), .reason, .key, .nearest

Both texts are normalised (normalise.py: HTML, links, emoji, punctuation dropped, traditional
folded to simplified). The score is the smaller of two coverages (coverage.py): how much of the
revision is in the post and how much of the post is in the revision, so a title prefix, a 来源
line, reordered paragraphs, a fixed typo or a dropped closing paragraph keep it high and a
part of the revision or a quotation inside another text do not. The post matches when the
score reaches the threshold (85) and it states no figure, date, amount, phone number or name
the revision does not (facts.py, edits.py, names.py); a post that does is refused whatever
its similarity, its score held just below the threshold and its reason naming the change.
"""

from .index import ApprovedIndex
from .judge import (
    DEFAULT_THRESHOLD,
    Judgement,
    judge,
    judge_prepared,
    prepare_post,
    prepare_revision,
)
from .normalise import looks_like_html

__all__ = [
    "DEFAULT_THRESHOLD",
    "ApprovedIndex",
    "Judgement",
    "judge",
    "judge_prepared",
    "looks_like_html",
    "prepare_post",
    "prepare_revision",
]
