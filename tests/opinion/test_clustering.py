"""One event, one case candidate: near-duplicate signals clustered by MinHash within a window."""

import random
from datetime import datetime, timedelta

from datasketch import MinHash

from govmedia.opinion.clustering import (
    NUM_PERM,
    SCHEME,
    Clusterer,
    Signal,
    cluster,
    shingles,
    signature,
    signatures,
)

START = datetime(2026, 12, 5, 8, 0)  # a Saturday: clustering knows no working days
DAY = timedelta(hours=24)


def angry_comments(count: int, seed: int) -> list[str]:
    """Comments about one 停水, written many ways (a recorded seed, so the test is fixed)."""
    rng = random.Random(seed)
    openers = ["", "气死了，", "太过分了！", "@定陶发布 ", "请问", "又来了，", "谁来管管："]
    cores = [
        "幸福小区停水三天了",
        "幸福小区已经停水三天",
        "幸福小区连续停水三天了",
        "幸福小区停水整整三天",
    ]
    closers = [
        "",
        "，没人管吗",
        "！！！",
        "，希望尽快解决",
        "？",
        "，物业也不管",
        "，老人孩子怎么办",
    ]
    return [rng.choice(openers) + rng.choice(cores) + rng.choice(closers) for _ in range(count)]


def test_a_burst_of_200_similar_comments_is_one_candidate():
    signals = [
        Signal(index, text, START + timedelta(minutes=index))
        for index, text in enumerate(angry_comments(200, seed=20261205))
    ]
    assert [len(group) for group in cluster(signals, window=DAY)] == [200]


def test_two_different_events_on_the_same_day_stay_apart():
    water = angry_comments(50, seed=1)
    rng = random.Random(2)
    crash = [
        rng.choice(["人民路", "和平路口"])
        + "发生交通事故，"
        + rng.choice(["有人受伤", "两车相撞", "堵车严重"])
        for _ in range(50)
    ]
    signals = [
        Signal(f"w{i}", text, START + timedelta(minutes=2 * i)) for i, text in enumerate(water)
    ]
    signals += [
        Signal(f"c{i}", text, START + timedelta(minutes=2 * i + 1)) for i, text in enumerate(crash)
    ]
    groups = cluster(signals, window=DAY)
    assert sorted(map(len, groups)) == [50, 50]
    assert {key[0] for key in groups[0]} == {"w"} and {key[0] for key in groups[1]} == {"c"}


def test_the_same_words_outside_the_window_are_a_new_event():
    text = "幸福小区停水三天了，没人管吗"
    signals = [Signal("first", text, START), Signal("month later", text, START + 30 * DAY)]
    assert cluster(signals, window=DAY) == [["first"], ["month later"]]


def test_noise_and_traditional_characters_do_not_make_a_new_event():
    signals = [
        Signal(1, "幸福小区停水三天了", START),
        Signal(2, "幸 福 小 區 停 水 三 天 了 ！", START + timedelta(minutes=5)),
    ]
    assert cluster(signals, window=DAY) == [[1, 2]]


def test_a_signal_bridging_two_clusters_merges_them_into_the_earlier():
    clusterer = Clusterer(window=DAY, threshold=0.3)
    assert clusterer.add("a", signature("甲乙丙丁戊己庚辛"), START).cluster is None
    # b shares nothing with a.
    assert clusterer.add("b", signature("壬癸子丑寅卯辰巳"), START).cluster is None
    # Seven of its fifteen bigrams are a's and seven b's: similar to both (0.47 > 0.3).
    bridge = clusterer.add("c", signature("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"), START)
    assert bridge.cluster == "a" and bridge.merged == ("b",)
    assert clusterer.cluster_of("b") == "a"


def test_clusters_continue_from_stored_signatures():
    earlier = Clusterer(window=DAY)
    earlier.add(10, signature("幸福小区停水三天了"), START)
    later = Clusterer(window=DAY)  # a later batch: the database hands over what it stored
    later.remember(10, signature("幸福小区停水三天了"), START, cluster=10)
    assert (
        later.add(11, signature("幸福小区停水三天了！！"), START + timedelta(hours=1)).cluster == 10
    )


def test_empty_texts_never_cluster_together():
    signals = [Signal(1, "👍👍", START), Signal(2, "！！", START)]
    assert cluster(signals, window=DAY) == [[1], [2]]


def test_signatures_are_deterministic():
    assert signature("幸福小区停水三天了") == signature("幸福小区停水三天了")
    assert len(signature("幸福小区停水三天了")) == 64 * 4


def test_batched_signatures_are_datasketchs_minhash_values():
    """Signatures are computed for many texts at once; they must stay the values datasketch's
    MinHash gives shingle by shingle, or the signatures stored before would no longer match."""
    texts = [
        *angry_comments(50, seed=17),
        "",
        "停",
        "停水",
        "👍👍",
        "Water OUTAGE 幸福小区 停 水",
        "幸福小區停水三天了",
        "请问明天几点开门" * 40,
    ]
    expected = []
    for text in texts:
        minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
        for shingle in shingles(text):
            minhash.update(shingle)
        expected.append(minhash.hashvalues.tobytes())
    assert signatures(texts) == expected
    assert [signature(text) for text in texts] == expected
    assert signatures([]) == []
