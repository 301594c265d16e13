"""The scorer alone: pure Python, no database."""

from govmedia.counterfeit.scoring import (
    Candidate,
    Registered,
    assess,
    load_name_data,
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


# -- pinyin, abbreviations and commercial words (issue 13) ---------------------------------------

THRESHOLD = 50  # COUNTERFEIT_THRESHOLD's default: a case is queued at or above it
DEPARTMENTS = [
    Registered("wechat-mp", "dt_fabu", "定陶发布", "区政府办公室", 10, "微信公众号"),
    Registered("wechat-mp", "dt_renshe", "定陶人社", "区人社局", 11, "微信公众号"),
    Registered("wechat-mp", "dt_zhujian", "定陶区住房和城乡建设局", "区住建局", 12, "微信公众号"),
    Registered("wechat-mp", "dt_liangshi", "定陶粮食", "区粮食局", 13, "微信公众号"),
    Registered("wechat-mp", "dt_wenlv", "定陶文旅", "区文旅局", 14, "微信公众号"),
    Registered("wechat-mp", "dt_shichang", "定陶市场监管", "区市场监管局", 15, "微信公众号"),
]


def departments(name, *, known=True):
    candidate = Candidate("douyin", "x_2", name, False, "", verification_known=known)
    return assess(candidate, DEPARTMENTS, PLACES)


def test_a_name_written_entirely_in_pinyin_is_the_registered_name():
    for spelled in ("dingtaofabu", "Dingtao Fabu", "DING TAO FA BU", "Dìngtáo Fābù"):
        for known in (True, False):
            result = departments(spelled, known=known)
            assert result.score >= THRESHOLD, (spelled, known, result)
            assert result.matched.name == "定陶发布"
        assert "全拼相同（dingtaofabu）" in departments(spelled).reasons[0].text


def test_the_initials_of_a_registered_name_are_caught():
    for initials in ("dtfb", "DTFB"):
        for known in (True, False):
            result = departments(initials, known=known)
            assert result.score >= THRESHOLD, (initials, known, result)
            assert result.matched.name == "定陶发布"
    assert "拼音首字母相同（dtfb）" in departments("dtfb").reasons[0].text


def test_a_full_formal_name_and_its_registered_abbreviation_are_the_same_name():
    pairs = [
        ("定陶区人力资源和社会保障局", "定陶人社"),
        ("菏泽市定陶区人力资源和社会保障局", "定陶人社"),
        ("定陶区文化和旅游局", "定陶文旅"),
        ("定陶区市场监督管理局", "定陶市场监管"),
        ("定陶住建", "定陶区住房和城乡建设局"),  # the other way round
    ]
    for candidate, registered in pairs:
        for known in (True, False):
            result = departments(candidate, known=known)
            assert result.score >= THRESHOLD, (candidate, known, result)
            assert result.matched.name == registered
        assert "同一单位的全称与简称" in departments(candidate).reasons[0].text


def test_a_place_name_with_a_commercial_word_is_clearly_below_the_threshold():
    for name in ("定陶房产", "定陶二手车", "定陶旅游攻略", "定陶美食", "天中二手车", "定陶同城"):
        result = departments(name)
        assert result.score <= THRESHOLD - 30, (name, result)
        assert result.matched is None  # 定陶美食 is not 定陶粮食: only the place is shared
        assert "commercial" in {reason.code for reason in result.reasons}


def test_only_a_shared_place_name_is_no_likeness():
    similarity = name_similarity("定陶美食", "定陶粮食", PLACES)
    assert similarity.value < 60 and "除地名“定陶”外名称不同" in similarity.explain[0]
    # More than the place shared: still alike.
    assert name_similarity("天中发布官方", "天中发布", PLACES).value >= 60


def test_the_abbreviation_table_covers_the_county_departments():
    data = load_name_data()
    contracted = dict(data.contractions)
    for full, short in [
        ("卫生健康", "卫健"),
        ("住房和城乡建设", "住建"),
        ("发展和改革", "发改"),
        ("人力资源和社会保障", "人社"),
        ("市场监督管理", "市场监管"),
        ("应急管理", "应急"),
        ("文化和旅游", "文旅"),
        ("教育和体育", "教体"),
        ("行政审批服务", "审批"),
        ("医疗保障", "医保"),
        ("人民政府办公室", "政府办"),
        ("水利", "水务"),
        ("融媒体中心", "融媒"),
    ]:
        assert contracted[full] == short
    for unit in ("自然资源", "生态环境", "农业农村", "公安", "民政", "财政", "司法", "交通运输"):
        assert unit in data.cues or unit in data.tokens
    for unit in ("商务", "退役军人", "统计", "信访", "网信办"):
        assert unit in data.tokens
    assert {"房产", "二手车", "旅游攻略"} <= set(data.commercial)
