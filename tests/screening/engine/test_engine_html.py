"""HTML input: markup is stripped for matching, offsets point into the HTML."""

from hypothesis import given
from hypothesis import strategies as st

from govmedia.screening.engine.markup import html_to_text


def test_offsets_point_into_the_html(check):
    html = '<p class="lead">会见<b>台湾</b>总统</p>'
    [finding] = check(html, html=True)
    assert html[finding.start : finding.end] == finding.matched == "台湾</b>总统"
    assert html[finding.start] == "台" and html[finding.end - 1] == "统"


def test_script_style_comments_and_attributes_are_not_content(check):
    html = (
        '<script>var a = "台湾总统";</script><style>.x:after{content:"中华民国"}</style>'
        '<!-- 两岸三地 --><img alt="北朝鲜" title="据网传"><p>正文</p>'
    )
    assert check(html, html=True) == []


def test_unclosed_script_hides_the_rest(check):
    assert check("<p>正文</p><script>台湾总统", html=True) == []


def test_entities_are_decoded_and_spanned_whole(check):
    html = "<p>&#21488;湾&#x603B;统&nbsp;来&amp;</p>"
    [finding] = check(html, html=True)
    assert finding.matched == "&#21488;湾&#x603B;统"
    assert (finding.start, finding.end) == (3, 3 + len("&#21488;湾&#x603B;统"))


def test_nbsp_between_characters_is_noise(check):
    [finding] = check("<p>台&nbsp;湾&nbsp;总&nbsp;统</p>", html=True)
    assert finding.rule == "台湾总统"


def test_block_tags_separate_paragraphs(check):
    assert check("<p>在台湾</p><p>总统说</p>", html=True) == []
    assert len(check("<p>台<span>湾</span>总<em>统</em></p>", html=True)) == 1


def test_personal_data_in_html_maps_back(check):
    html = "<td>13800000000</td>"
    [finding] = check(html, html=True)
    assert (finding.start, finding.end, finding.matched) == (4, 15, "138****0000")


def test_plain_text_is_not_parsed_as_html(check):
    text = "<b>台湾</b>总统"
    assert check(text) == []  # the tags are text: 台湾/b总统 is no term


def test_stray_brackets_and_ampersands_are_text():
    content, offsets = html_to_text("a < b && c > d &zz; <3")
    assert content == "a < b && c > d &zz; <3"
    assert [offsets.start(i) for i in range(len(content))] == list(range(len(content)))


@given(
    st.lists(
        st.sampled_from(
            [
                "台",
                "湾",
                "<b>",
                "</b>",
                "<p>",
                "&amp;",
                "&#21488;",
                "<!-- x -->",
                "<",
                "&",
                "x",
                '<a href="t>">',
            ]
        ),
        max_size=30,
    )
)
def test_every_content_char_maps_to_where_it_came_from(parts):
    html = "".join(parts)
    content, offsets = html_to_text(html)
    for index, char in enumerate(content):
        source = html[offsets.start(index) : offsets.end(index)]
        assert source == char or source.startswith(("&", "<"))
