"""ApprovedIndex: many approved revisions, each pulled post matched to the one it publishes."""

import pytest

from govmedia.publishing.matching import ApprovedIndex
from tests.publishing.matching.fixtures import (
    CIVILISED_CITY,
    HEATING_NOTICE,
    MEETING_REPORT,
    POLICY_EXPLAINER,
    SHORT_WEIBO,
    as_html,
    paragraphs,
    replaced,
    with_emoji,
    with_paragraphs_swapped,
    with_prefix,
    with_source_line,
    without_last_paragraph,
)

REVISIONS = {
    "heating": HEATING_NOTICE,
    "policy": POLICY_EXPLAINER,
    "meeting": MEETING_REPORT,
    "weibo": SHORT_WEIBO,
}
EDITS = {
    "exact": lambda text: text,
    "prefix": with_prefix,
    "source line": with_source_line,
    "emoji": with_emoji,
    "reordered": lambda text: with_paragraphs_swapped(text, 2, 3) if "\n" in text else text,
    "last paragraph dropped": lambda text: without_last_paragraph(text) if "\n" in text else text,
    "html": as_html,
}


@pytest.fixture
def index():
    index = ApprovedIndex()
    for key, text in REVISIONS.items():
        index.add(key, text)
    # Earlier revisions of the same articles, already superseded but still approved once.
    index.add("meeting-v1", replaced(MEETING_REPORT, "2.5万亩", "2万亩"))
    index.add("policy-v1", replaced(POLICY_EXPLAINER, "设立2000万元", "设立1000万元"))
    return index


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("key", REVISIONS)
def test_each_post_is_matched_to_the_revision_it_publishes(index, key, edit):
    post = EDITS[edit](REVISIONS[key])
    judgement = index.best(post, html=edit == "html")
    assert judgement.match, judgement.reason
    assert judgement.key == judgement.nearest == key


def test_an_exact_copy_is_found_by_its_fingerprint(index):
    judgement = index.best(MEETING_REPORT)
    assert (judgement.match, judgement.score, judgement.key) == (True, 100, "meeting")


def test_the_nearest_revision_is_named_when_a_figure_changed(index):
    post = replaced(HEATING_NOTICE, "不得低于18℃", "不得低于16℃")
    judgement = index.best(post)
    assert (judgement.match, judgement.key, judgement.nearest) == (False, None, "heating")
    assert "16℃" in judgement.reason


def test_a_part_of_a_revision_is_refused_with_its_coverage(index):
    title, first, *_ = paragraphs(POLICY_EXPLAINER)
    judgement = index.best(f"{title}\n{first}")
    assert not judgement.match and judgement.key is None
    assert "仅覆盖稿件的" in judgement.reason


def test_an_unrelated_post_matches_nothing(index):
    judgement = index.best(CIVILISED_CITY)
    assert (judgement.match, judgement.score, judgement.key, judgement.nearest) == (
        False,
        0,
        None,
        None,
    )
    assert judgement.reason == "未找到相近的审核通过稿件"


@pytest.mark.parametrize("post", ["", " \n ", "👍"])
def test_an_empty_post_matches_nothing(index, post):
    judgement = index.best(post)
    assert (judgement.match, judgement.score, judgement.key) == (False, 0, None)


def test_a_removed_revision_is_no_longer_matched(index):
    index.remove("meeting")
    assert "meeting" not in index
    judgement = index.best(MEETING_REPORT)
    # Only the superseded revision is left, and its figure differs.
    assert not judgement.match and judgement.nearest == "meeting-v1"
    with pytest.raises(KeyError):
        index.remove("meeting")


def test_a_key_added_again_replaces_its_revision(index):
    index.add("weibo", replaced(SHORT_WEIBO, "12月9日", "12月10日"))
    assert len(index) == len(REVISIONS) + 2
    assert not index.best(SHORT_WEIBO).match
    assert index.best(replaced(SHORT_WEIBO, "12月9日", "12月10日")).key == "weibo"


def test_revisions_added_between_look_ups_are_found():
    index = ApprovedIndex()
    for number in range(40):
        index.add(number, f"第{number}号通知：" + CIVILISED_CITY.replace("志愿", f"志愿{number}"))
        assert index.best(with_prefix(CIVILISED_CITY.replace("志愿", f"志愿{number}"))).match
    for number in range(0, 40, 2):
        index.remove(number)
    assert len(index) == 20
    for number in range(40):
        text = f"第{number}号通知：" + CIVILISED_CITY.replace("志愿", f"志愿{number}")
        assert index.best(text).key == (number if number % 2 else None)


def test_a_one_megabyte_post_is_looked_up_without_trouble(index):
    filler = "\n\n".join(paragraphs(CIVILISED_CITY) + paragraphs(POLICY_EXPLAINER))
    huge = (filler + "\n\n") * (1_000_000 // len(filler.encode()) + 1)
    assert not index.best(huge).match
    assert not index.best(MEETING_REPORT + huge).match


def test_the_threshold_is_a_parameter():
    index = ApprovedIndex(threshold=99)
    index.add("meeting", MEETING_REPORT)
    assert index.best(MEETING_REPORT).match
    assert not index.best(without_last_paragraph(MEETING_REPORT)).match


def _posts_to_try():
    """Every revision under every edit, and mixtures of their paragraphs (seeded)."""
    import random

    rng = random.Random(15)
    texts = [edit(text) for text in REVISIONS.values() for edit in EDITS.values()]
    pool = [p for text in REVISIONS.values() for p in paragraphs(text)]
    for _ in range(60):
        texts.append("\n".join(rng.sample(pool, rng.randint(1, 4))))
    return texts


@pytest.mark.parametrize("removed", [(), ("policy",), ("heating", "weibo")])
def test_the_small_segment_path_gives_what_the_arrays_give(removed):
    """A small index is looked up in plain Python (numpy's cost per call dominates a
    look-up there): the candidates, their order and the judgements are the arrays' own."""
    fast = ApprovedIndex(carried=60, threshold=80)
    slow = ApprovedIndex(carried=60, threshold=80)
    for index in (fast, slow):
        for key, text in REVISIONS.items():
            index.add(key, text)
        index._seal()
        for key in removed:
            index.remove(key)
    assert fast._segments[0].small is not None
    slow._segments[0].small = None  # the arrays' path
    from govmedia.publishing.matching.judge import prepare_post

    for text in _posts_to_try():
        flat = prepare_post(text).flat
        assert list(fast._candidates(flat)) == list(slow._candidates(flat))
        assert fast.best(text) == slow.best(text)
