"""Character-level differences between revisions (pure, no database)."""

import random

import pytest

from govmedia.publishing import textdiff
from govmedia.publishing.textdiff import Op, diff, side_by_side, summary

OLD = "关于下达2026年农村道路建设资金的通知\n本项目总投资3000万元，其中区级财政资金1000万元。"
NEW = "关于下达2026年农村道路建设资金的通知\n本项目总投资5000万元，其中区级财政资金1000万元。"


def test_a_changed_figure_is_a_one_character_change():
    assert diff(OLD, NEW) == [
        (Op.EQUAL, "关于下达2026年农村道路建设资金的通知\n本项目总投资"),
        (Op.DELETE, "3"),
        (Op.INSERT, "5"),
        (Op.EQUAL, "000万元，其中区级财政资金1000万元。"),
    ]
    assert summary(OLD, NEW) == {
        "added": 1,
        "removed": 1,
        "unchanged": len(OLD) - 1,
        "changed": True,
        "granularity": "char",
        "approximate": False,
    }


def test_side_by_side_marks_the_change_in_each_column():
    left, right = side_by_side(OLD, NEW)
    assert left == (
        "关于下达2026年农村道路建设资金的通知<br>"
        '本项目总投资<del class="diff-del">3</del>000万元，其中区级财政资金1000万元。'
    )
    assert right == (
        "关于下达2026年农村道路建设资金的通知<br>"
        '本项目总投资<ins class="diff-ins">5</ins>000万元，其中区级财政资金1000万元。'
    )


def test_html_in_the_texts_is_shown_as_text():
    left, right = side_by_side("正文<b>加粗</b>&amp;", '正文<b>加粗</b><script>alert("x")</script>')
    assert "<b>" not in left + right and "<script>" not in right
    assert left == '正文&lt;b&gt;加粗&lt;/b&gt;<del class="diff-del">&amp;amp;</del>'
    assert right == (
        "正文&lt;b&gt;加粗&lt;/b&gt;"
        '<ins class="diff-ins">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins>'
    )


def test_additions_deletions_and_no_change():
    assert diff("", "") == []
    assert diff("", "新增") == [(Op.INSERT, "新增")]
    assert diff("删除", "") == [(Op.DELETE, "删除")]
    assert diff("不变", "不变") == [(Op.EQUAL, "不变")]
    assert side_by_side("不变\r\n", "不变\r\n") == ("不变<br>", "不变<br>")
    assert summary("不变", "不变")["changed"] is False
    assert summary("一二三", "一二三四五") | {"granularity": None} == {
        "added": 2,
        "removed": 0,
        "unchanged": 3,
        "changed": True,
        "granularity": None,
        "approximate": False,
    }


def test_semantic_cleanup_groups_scattered_noise():
    # The minimal diff keeps the shared 会: -工作 +大 =会 -议; readers want the phrase replaced.
    ops = diff("区政府召开全区安全生产工作会议", "区政府召开全区安全生产大会")
    assert ops == [
        (Op.EQUAL, "区政府召开全区安全生产"),
        (Op.DELETE, "工作会议"),
        (Op.INSERT, "大会"),
    ]


def _random_text(rng, length, line_every):
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    text = [rng.choice(chars) for _ in range(length)]
    for i in range(line_every - 1, length, line_every):
        text[i] = "\n"
    return "".join(text)


def test_texts_over_the_bound_are_compared_line_by_line():
    rng = random.Random(20260401)
    old = _random_text(rng, 300_000, 100)
    lines = old.split("\n")
    lines[1500] = "本段已修改。"
    new = "\n".join(lines)
    result = summary(old, new)
    assert result["granularity"] == "line"
    assert result["removed"] == 100 and result["added"] == len("本段已修改。\n")
    left, right = side_by_side(old, new)
    assert left.count('<del class="diff-del">') == right.count('<ins class="diff-ins">') == 1


def test_unrelated_long_texts_finish_with_a_coarse_answer():
    # Character by character this would be minutes of work; the budget makes it a whole-block
    # replacement (no timing asserted: the bound is counted, not timed).
    rng = random.Random(7)
    old, new = _random_text(rng, 20_000, 80), _random_text(rng, 20_000, 80)
    result = summary(old, new)
    assert result["granularity"] == "char" and result["approximate"] is True
    ops = diff(old, new)
    assert "".join(t for op, t in ops if op != Op.INSERT) == old
    assert "".join(t for op, t in ops if op != Op.DELETE) == new


def test_the_budget_is_what_bounds_the_search(monkeypatch):
    # If diff-match-patch stopped consulting the deadline, this would notice: with no budget at
    # all, any real search gives up at once and answers "all deleted, all inserted".
    monkeypatch.setattr(textdiff, "MAX_DIFF_WORK", 0)
    textdiff._compute.cache_clear()
    try:
        assert diff("甲乙丙丁戊", "甲乙子丁戊") == [
            (Op.EQUAL, "甲乙"),
            (Op.DELETE, "丙"),
            (Op.INSERT, "子"),
            (Op.EQUAL, "丁戊"),
        ]  # found without any search: common prefix and suffix
        assert summary("春夏秋冬东南", "北春秋西冬夏")["approximate"] is True
        assert diff("春夏秋冬东南", "北春秋西冬夏") == [
            (Op.DELETE, "春夏秋冬东南"),
            (Op.INSERT, "北春秋西冬夏"),
        ]
    finally:
        textdiff._compute.cache_clear()


@pytest.mark.parametrize("seed", range(5))
def test_the_diff_always_rebuilds_both_texts(seed):
    rng = random.Random(seed)
    old = _random_text(rng, 2_000, 60)
    new = list(old)
    for _ in range(40):
        at = rng.randrange(len(new))
        new[at : at + rng.randrange(4)] = rng.choice(["", "新", "修改后"])
    new = "".join(new)
    ops = diff(old, new)
    assert "".join(t for op, t in ops if op != Op.INSERT) == old
    assert "".join(t for op, t in ops if op != Op.DELETE) == new
    assert diff(old, new) == ops  # deterministic (and served from the cache)
