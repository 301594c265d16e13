"""The first screen of completion detection never drops a pair the matcher accepts: for the
reposts the detection tests use (a title prefix and a 来源 line, an abridged body) and a few
more light edits of them, every source the matcher (judge, and ApprovedIndex.best as the
detection uses it) takes the post for passes the screen; a post sharing nothing with any
source passes for none."""

import pytest

from govmedia.coordination.detection import _Sources
from govmedia.publishing.matching import ApprovedIndex, judge, prepare_revision
from tests.coordination.helpers import ABRIDGED, REPOST, SOURCE, UNRELATED

# Other sources open at the same time: another policy, and the unrelated post's own text.
HEATING = (
    "定陶区2026年冬季清洁取暖补贴政策发布，全区符合条件的农村居民家庭可申请补贴。\n"
    "补贴标准为每户每年800元，由各镇街统一受理申请，申请时间为12月1日至12月31日。"
)
FLOOD = (
    "<p>区防汛抗旱指挥部提醒：近期我区将出现强降雨天气，请广大群众注意出行安全。</p>"
    "<p>各镇街要加强值班值守，做好低洼地区群众转移避险准备，确保人民群众生命财产安全。</p>"
)
OPEN_SOURCES = {1: (SOURCE, True), 2: (HEATING, False), 3: (FLOOD, True), 4: (UNRELATED, False)}
_PARAGRAPHS = REPOST.split("\n")
VARIANTS = {
    "title prefix and 来源 line": REPOST,
    "abridged": ABRIDGED,
    "paragraphs reordered": "\n".join(_PARAGRAPHS[:2] + _PARAGRAPHS[3:] + _PARAGRAPHS[2:3]),
    "last paragraph dropped, 编辑 line": "\n".join([*_PARAGRAPHS[:-1], "编辑：王某"]),
    "a word changed": REPOST.replace("加强资金监管", "强化资金监管"),
    "unrelated": UNRELATED,
}


@pytest.fixture
def sources():
    found = _Sources()
    for pk, (text, html) in OPEN_SOURCES.items():
        found.add(pk, prepare_revision(text, html=html))
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_screen_keeps_every_source_the_matcher_takes_the_post_for(sources, variant):
    text = VARIANTS[variant]
    screen = sources.screen(*sources.prepared_post(text, False))
    accepted = set()
    for pk, (source, html) in OPEN_SOURCES.items():
        judgement = judge(
            source,
            text,
            revision_html=html,
            threshold=sources.threshold,
            carried=sources.carried,
        )
        if judgement.match:
            accepted.add(pk)
        index = ApprovedIndex(threshold=sources.threshold, carried=sources.carried)
        index.add_prepared(pk, sources.prepared[pk])
        assert index.best(text).match == judgement.match
    assert accepted <= screen.fits <= screen.near
    together = ApprovedIndex(threshold=sources.threshold, carried=sources.carried)
    for pk in OPEN_SOURCES:
        together.add_prepared(pk, sources.prepared[pk])
    best = together.best(text)
    assert not best.match or best.key in screen.fits
    if variant != "unrelated":  # the reposts the detection tests count are accepted
        assert 1 in accepted


def test_a_post_sharing_nothing_with_the_sources_is_screened_out(sources):
    screen = sources.screen(
        *sources.prepared_post("今日天气晴，气温零下三度到五度，北风三级。", False)
    )
    assert screen.near == screen.fits == frozenset()
    assert (
        sources.best(1, {1, 2, 3, 4}, {1, 2, 3, 4}, "今日天气晴，气温零下三度到五度。", False)
        is None
    )
    # An empty text (a picture only) reaches no source either.
    assert sources.screen(*sources.prepared_post("[图片]", False)).near == frozenset()
