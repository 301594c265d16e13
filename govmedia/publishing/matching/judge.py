"""Whether a post is an approved revision, lightly edited: one pair, judged.

Score (0–100): the smaller of the two coverages (coverage.py), 100 for the same normalised
text. The post matches when the score reaches the threshold (85 by default) and it states no
fact the revision does not: a figure (facts.py) or a name or a figure swapped in the
character diff (edits.py). Such a post does not match however similar it is, and its score
is lowered to just below the threshold, so that ``match`` is always ``score >= threshold``;
the reason gives the similarity of the rest.

A repost (转载, coordination) may be abridged and adds its own title and a 来源 line: judged
with ``carried`` (a percentage below the threshold), the score is how much of the post comes
from the revision, and the post must in addition carry at least ``carried`` percent of the
revision; a post that carries less does not match, its score held just below the threshold.
"""

from collections.abc import Hashable, Set
from dataclasses import dataclass

from .coverage import Coverage, coverage
from .edits import edits, fact_change
from .facts import Figure, figures, stated, unsupported
from .normalise import folded_text, line_paragraphs, paragraphs

DEFAULT_THRESHOLD = 85
_ATOM_SEPARATOR = "\x1f"  # a control character: no atom holds one (see facts.py)


@dataclass(frozen=True, slots=True)
class Judgement:
    match: bool
    score: int  # 0–100
    reason: str = ""  # in Chinese; empty when the post matches
    key: Hashable | None = None  # the matched revision (ApprovedIndex.best), else None
    nearest: Hashable | None = None  # the revision the score and reason are about


@dataclass(frozen=True, slots=True)
class Revision:
    """An approved revision in comparable form: what ApprovedIndex keeps of each, so it is
    small — the paragraphs as one string (~2 bytes a character) and the atoms as another."""

    text: str  # the paragraphs (normalise.py), joined by "\n"
    atoms: str  # the figures it states, joined by _ATOM_SEPARATOR

    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    @property
    def flat(self) -> str:
        return self.text.replace("\n", "")

    def atom_set(self) -> frozenset[str]:
        return frozenset(self.atoms.split(_ATOM_SEPARATOR))


@dataclass(frozen=True, slots=True)
class Post:
    """A pulled post in comparable form. Its figures are read only when a revision is close
    enough for them to matter, and then only in the paragraphs the revision does not have
    word for word (the same paragraph states the same figures)."""

    folded: str  # see normalise.py
    line_paragraphs: list[str]  # the paragraph of each line of ``folded``, "" for none
    paragraphs: tuple[str, ...]  # the non-empty ones
    flat: str  # the paragraphs joined

    def figures_beyond(self, shared: Set[str]) -> tuple[Figure, ...]:
        """The figures of the post's lines whose paragraph is not among ``shared``."""
        lines = self.folded.split("\n")
        own = [
            line
            for line, paragraph in zip(lines, self.line_paragraphs, strict=True)
            if paragraph and paragraph not in shared
        ]
        return figures("\n".join(own))


def prepare_revision(text: str, *, html: bool = False) -> Revision:
    folded = folded_text(text, html=html)
    atoms = sorted(stated(figures(folded)))
    return Revision("\n".join(paragraphs(folded)), _ATOM_SEPARATOR.join(atoms))


def prepare_post(text: str, *, html: bool = False) -> Post:
    folded = folded_text(text, html=html)
    by_line = line_paragraphs(folded)
    kept = tuple(filter(None, by_line))
    return Post(folded, by_line, kept, "".join(kept))


def judge(
    revision_text: str,
    post_text: str,
    *,
    revision_html: bool = False,
    post_html: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
    carried: int | None = None,
) -> Judgement:
    """Whether ``post_text`` is ``revision_text`` published with light edits only (or, with
    ``carried``, reposted, possibly abridged)."""
    return judge_prepared(
        prepare_revision(revision_text, html=revision_html),
        prepare_post(post_text, html=post_html),
        threshold=threshold,
        carried=carried,
    )


def judge_prepared(
    revision: Revision,
    post: Post,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    carried: int | None = None,
) -> Judgement:
    check_threshold(threshold)
    check_carried(carried, threshold)
    if not post.flat:
        return Judgement(False, 0, "发布内容为空（去除标点、表情和链接后没有文字）")
    revision_paragraphs = revision.paragraphs()
    if not revision_paragraphs:
        return Judgement(False, 0, "审核通过的稿件为空")
    if carried is not None and (too_far := _lengths_too_far(revision, post, threshold, carried)):
        return too_far
    covered = coverage(
        revision_paragraphs, post.paragraphs, threshold=min(threshold, carried or threshold)
    )
    score = covered.score if carried is None else covered.post_percent
    if score < threshold:
        reason = _coverage_reason(covered) if carried is None else _repost_reason(covered)
        return Judgement(False, score, reason)
    if carried is not None and covered.revision_percent < carried:
        held = min(score, threshold - 1)
        reason = f"仅覆盖原文的 {covered.revision_percent}%（转载至少应有 {carried}%）"
        return Judgement(False, held, reason)
    problem = _fact_problem(revision, revision_paragraphs, post, covered)
    if problem is not None:
        vetoed = min(score, threshold - 1)
        return Judgement(False, vetoed, f"{problem}（其余内容相似度 {score}）")
    return Judgement(True, score)


def check_threshold(threshold: int) -> None:
    if not 1 <= threshold <= 100:
        raise ValueError(f"匹配阈值应在 1–100 之间，收到 {threshold}")


def check_carried(carried: int | None, threshold: int) -> None:
    if carried is not None and not 1 <= carried <= threshold:
        raise ValueError(f"转载覆盖比例应在 1–{threshold} 之间，收到 {carried}")


def _fact_problem(
    revision: Revision, revision_paragraphs: list[str], post: Post, covered: Coverage
) -> str | None:
    """Why the post states something the revision does not, or None."""
    figure = unsupported(post.figures_beyond(set(revision_paragraphs)), revision.atom_set())
    if figure is not None:
        return f"{figure.label}“{figure.text}”未见于审核通过的稿件"
    if not covered.exact:  # too long to diff (see coverage._LCS_BUDGET); figures were checked
        return None
    if "".join(revision_paragraphs) == post.flat:
        return None
    for edit in edits(revision_paragraphs, covered.post_paragraphs):
        if (reason := fact_change(edit)) is not None:
            return reason
    return None


def _coverage_reason(covered: Coverage) -> str:
    of_revision, of_post = (int(100 * share) for share in (covered.of_revision, covered.of_post))
    if of_revision < 50 and of_post < 50:
        return f"与审核通过的稿件内容不同（相似度 {covered.score}）"
    if covered.of_revision <= covered.of_post:
        return f"仅覆盖稿件的 {of_revision}%"
    return f"发布内容只有 {of_post}% 见于审核通过的稿件"


def lengths_allow_repost(revision: Revision, post: Post, threshold: int, carried: int) -> bool:
    """Whether the lengths alone leave the post possibly a repost of the revision (the first
    test ``judge_prepared`` makes with ``carried``): a pair they rule out never matches."""
    return _lengths_too_far(revision, post, threshold, carried) is None


def _lengths_too_far(
    revision: Revision, post: Post, threshold: int, carried: int
) -> Judgement | None:
    """A repost's lengths alone may rule it out, before any comparison: the share of the post
    that can come from the original is at most len(original) / len(post), the share of the
    original it can carry at most len(post) / len(original). The score is that bound."""
    original, published = len(revision.flat), len(post.flat)
    of_post = min(100, 100 * original // published)
    if of_post < threshold:
        return Judgement(False, of_post, f"原文篇幅只有发布内容的 {of_post}%，不是转载")
    of_original = 100 * published // original
    if of_original < carried:
        return Judgement(
            False,
            min(of_post, threshold - 1),
            f"发布内容篇幅只有原文的 {of_original}%（转载至少应有 {carried}%）",
        )
    return None


def _repost_reason(covered: Coverage) -> str:
    if covered.post_percent < 50:
        return f"与原文内容不同（相似度 {covered.post_percent}）"
    return f"发布内容只有 {covered.post_percent}% 见于原文"
