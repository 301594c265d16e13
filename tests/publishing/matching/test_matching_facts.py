"""The figures a text states, as atoms: the same figure written differently is one atom, a
changed digit is another, and words that hold numerals (统一, 一是, 千方百计) are no figures."""

import pytest

from govmedia.publishing.matching.facts import figures, stated, unsupported
from govmedia.screening.engine.folding import fold_chars


def atoms(text):
    return [atom for figure in figures(fold_chars(text)) for atom in figure.atoms]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("安排资金3000万元", ["N30000000"]),
        ("安排资金三千万元", ["N30000000"]),
        ("安排资金3,000万元", ["N30000000"]),
        ("安排资金0.3亿元", ["N30000000"]),
        ("安排资金３０００万元", ["N30000000"]),  # full-width digits fold
        ("增长5%", ["P5"]),
        ("增长百分之五", ["P5"]),
        ("增长５％", ["P5"]),
        ("费率千分之三", ["Q3"]),
        ("12月5日召开", ["M12D5"]),
        ("十二月五日召开", ["M12D5"]),
        ("2024年12月5日", ["Y2024", "M12D5"]),
        ("二〇二四年十二月五日", ["Y2024", "M12D5"]),
        ("2024-12-05", ["Y2024", "M12D5"]),
        ("上午9时30分", ["T9:30"]),
        ("上午9:30", ["T9:30"]),
        ("电话0530-2221234", ["#05302221234"]),
        ("手机13812345678", ["#13812345678"]),
        ("投资3.5亿元", ["N350000000"]),
        ("共三项任务，两名同志", ["N3", "N2"]),
        ("第一书记", ["N1"]),
        ("一千零五户", ["N1005"]),
    ],
)
def test_a_figure_is_read_as_its_atoms(text, expected):
    assert atoms(text) == expected


@pytest.mark.parametrize("text", ["统一部署", "一是加强领导", "千方百计", "千万不要", "进一步"])
def test_words_holding_numerals_are_no_figures(text):
    assert atoms(text) == []


def test_a_revision_implies_the_parts_of_its_dates():
    revision = stated(figures(fold_chars("2024年12月5日上午9时30分")))
    for post in ("12月5日", "12月", "5日", "2024年", "9时", "9:30"):
        assert unsupported(figures(fold_chars(post)), revision) is None, post
    assert unsupported(figures(fold_chars("12月8日")), revision).text == "12月8日"


def test_the_reason_shows_the_figure_as_written():
    revision = stated(figures(fold_chars("资金3000万元")))
    (figure,) = figures(fold_chars("资金5000万元"))
    assert unsupported([figure], revision) is figure
    assert (figure.label, figure.text) == ("数字", "5000万元")
