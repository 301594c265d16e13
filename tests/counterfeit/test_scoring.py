"""The scorer alone: pure Python, no database."""

from govmedia.counterfeit.scoring import (
    Candidate,
    Registered,
    assess,
    name_similarity,
    place_names_from,
)

REGISTRY = [
    Registered("wechat-mp", "dt_tianzhong", "天中发布", "天中街道", 1, "微信公众号"),
    Registered("wechat-mp", "dt_dingtao", "定陶发布", "区政府办公室", 2, "微信公众号"),
    Registered("weibo", "dt_chenji", "陈集镇发布", "陈集镇", 3, "微博"),
]
PLACES = place_names_from("菏泽市定陶区", ["天中街道", "陈集镇", "冉堌镇"])


def score(name, *, platform="douyin", handle="x_1", verified=False, reason="", known=True):
    return assess(
        Candidate(platform, handle, name, verified, reason, verification_known=known),
        REGISTRY,
        PLACES,
    )


def test_place_names_come_from_the_district_and_its_townships():
    assert PLACES == ("菏泽", "定陶", "天中", "陈集", "冉堌")


def test_a_homophone_of_a_registered_name_scores_high_and_names_the_genuine_account():
    for homophone, genuine in (("定淘发布", "定陶发布"), ("田中发布", "天中发布")):
        result = score(homophone)
        assert result.score >= 80, (homophone, result)
        assert result.matched.name == genuine
        codes = [reason.code for reason in result.reasons]
        assert codes[0] == "similar_name" and "unverified" in codes
        assert "读音相同" in result.reasons[0].text


def test_pinyin_is_compared_without_tones():
    similarity = name_similarity("田中发布", "天中发布")
    assert similarity.value == 100
    assert any("tian zhong fa bu" in text for text in similarity.explain)


def test_an_unrelated_commercial_name_scores_low():
    result = score("老王烧烤店")
    assert result.score < 20
    assert result.matched is None
    assert score("定陶烧烤").score < 50  # a place name alone is not a government name


def test_the_genuine_handle_on_the_same_platform_is_not_a_candidate():
    result = score("天中发布", platform="wechat-mp", handle="DT_TianZhong", verified=True)
    assert result.genuine and result.score == 0
    assert result.matched.account_id == 1
    # The same handle on another platform is someone else.
    assert not score("天中发布", platform="douyin", handle="dt_tianzhong").genuine


def test_a_government_sounding_name_not_in_the_registry_is_queued():
    result = score("定陶区民政局")
    assert result.matched is None
    assert result.score >= 50
    assert {reason.code for reason in result.reasons} == {"gov_cue", "place", "unverified"}


def test_verification_as_a_company_counts_against_and_as_government_for():
    company = score("陈集发布", verified=True, reason="某某文化传媒有限公司")
    government = score("陈集发布", verified=True, reason="菏泽市定陶区陈集镇人民政府")
    unverified = score("陈集发布")
    assert company.score > unverified.score > government.score
    assert "company_verified" in {reason.code for reason in company.reasons}


def test_unknown_verification_is_no_evidence_either_way():
    unknown = score("田中发布", known=False)
    assert "unverified" not in {reason.code for reason in unknown.reasons}
    assert unknown.score < score("田中发布").score


def test_the_registered_name_with_something_added_is_similar():
    result = score("天中发布官方")
    assert result.matched.name == "天中发布"
    assert "名称包含“天中发布”" in result.reasons[0].text


def test_scores_are_deterministic_and_bounded():
    first, second = score("定淘发布"), score("定淘发布")
    assert first == second
    assert 0 <= first.score <= 100
    assert all(0 <= score(name).score <= 100 for name in ("", "发布", "政务", "x" * 100))
