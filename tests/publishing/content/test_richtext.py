"""The article body sanitiser, its plain text and its images (pure, no database)."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.publishing.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MAX_HTML_CHARS,
    image_sources,
    plain_text,
    sanitize,
)

ARTICLE = (
    '<h2 style="text-align: center;">关于做好2026年防汛工作的通知</h2>'
    "<p>各镇街、各部门：</p>"
    "<p>　　为切实做好今年防汛工作，现将有关事项通知如下：</p>"
    "<ol><li>压实<strong>防汛责任</strong>；</li><li>加强<em>隐患排查</em>，做到<u>应查尽查</u>。</li></ol>"
    "<ul><li>值班电话：0530-1234567</li></ul>"
    "<blockquote>依据：《中华人民共和国防洪法》</blockquote>"
    '<p>详见<a href="https://www.gov.cn/zhengce/" title="中国政府网">中国政府网</a>'
    '与<a href="/articles/12">本站通知</a>。<br>特此通知。</p>'
    '<p><img src="/media/articles/2026/flood.png" alt="防汛示意图" width="640" height="360"></p>'
    '<p style="text-align: right;">菏泽市定陶区人民政府办公室</p>'
)


def test_allowed_structure_and_chinese_text_are_kept():
    clean = sanitize(ARTICLE)
    for piece in (
        '<h2 style="text-align:center">关于做好2026年防汛工作的通知</h2>',
        "<p>　　为切实做好今年防汛工作，现将有关事项通知如下：</p>",
        "<ol><li>压实<strong>防汛责任</strong>；</li><li>加强<em>隐患排查</em>，做到<u>应查尽查</u>。</li></ol>",
        "<ul><li>值班电话：0530-1234567</li></ul>",
        "<blockquote>依据：《中华人民共和国防洪法》</blockquote>",
        '<a href="https://www.gov.cn/zhengce/" title="中国政府网" rel="noopener noreferrer">',
        '<a href="/articles/12" rel="noopener noreferrer">本站通知</a>。<br>特此通知。',
        '<img src="/media/articles/2026/flood.png" alt="防汛示意图" width="640" height="360">',
        '<p style="text-align:right">菏泽市定陶区人民政府办公室</p>',
    ):
        assert piece in clean


def test_sanitising_twice_changes_nothing():
    once = sanitize(ARTICLE)
    assert sanitize(once) == once


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>正文<script>alert(1)</script></p>", "<p>正文</p>"),
        ("<SCRIPT SRC=https://x.example/a.js></SCRIPT>正文", "正文"),
        ("<style>p{display:none}</style><p>正文</p>", "<p>正文</p>"),
        ('<img src="/media/a.png" onerror="alert(1)">', '<img src="/media/a.png">'),
        ('<p onclick="steal()" onmouseover="x()">正文</p>', "<p>正文</p>"),
        ('<a href="javascript:alert(1)">点此</a>', '<a rel="noopener noreferrer">点此</a>'),
        ('<a href=" JaVaScRiPt:alert(1)">点此</a>', '<a rel="noopener noreferrer">点此</a>'),
        ('<a href="java&#x09;script:alert(1)">点此</a>', '<a rel="noopener noreferrer">点此</a>'),
        ('<a href="vbscript:msgbox(1)">点此</a>', '<a rel="noopener noreferrer">点此</a>'),
        (
            '<a href="data:text/html,<script>alert(1)</script>">点此</a>',
            '<a rel="noopener noreferrer">点此</a>',
        ),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="截图">', ""),
        ('<img src="javascript:alert(1)">', ""),
        ('<iframe src="https://evil.example/"><p>备用内容</p></iframe>正文', "正文"),
        ('<object data="x.swf"><embed src="x.swf">插件</object>正文', "正文"),
        ("<svg onload=alert(1)><text>图形</text></svg>正文", "正文"),
        ("<noscript><p>无脚本</p></noscript>正文", "正文"),
        ("<p><!-- 备注 -->正文</p>", "<p>正文</p>"),
        (
            '<p style="color:red;position:fixed;background:url(https://x.example/t)">正文</p>',
            "<p>正文</p>",
        ),
        (
            '<p style="text-align:center;color:red">居中</p>',
            '<p style="text-align:center">居中</p>',
        ),
        ('<p style="text-align: expression(alert(1))">正文</p>', "<p>正文</p>"),
        ('<span style="text-align:center">行内</span>', "行内"),
        ('<p class="ql-align-center" id="top" data-x="1">正文</p>', "<p>正文</p>"),
        ('<p title="标题" lang="en" dir="rtl">正文</p>', "<p>正文</p>"),
        (
            '<a href="https://www.gov.cn/" target="_blank" rel="opener">链接</a>',
            '<a href="https://www.gov.cn/" rel="noopener noreferrer">链接</a>',
        ),
        ("<h5>小标题</h5><h6>更小</h6>", "小标题更小"),
        ("<form action=/x><input name=a><button>提交</button></form>正文", "提交正文"),
        ("<table><tr><td>单元格</td></tr></table>", "单元格"),
    ],
)
def test_what_is_removed(dirty, clean):
    assert sanitize(dirty) == clean


@pytest.mark.parametrize(
    "src",
    [
        "//evil.example/x.png",  # protocol-relative: another site
        "/\\evil.example/x.png",  # browsers read "/\" as "//"
        "/\t/evil.example/x.png",  # browsers drop the tab
        "relative/x.png",  # only site paths starting with "/"
        "ftp://files.example/x.png",
        "file:///etc/passwd",
        "blob:https://x.example/1",
        "https:///x.png",  # no host
        "https://x.example/a b.png",  # unencoded space
    ],
)
def test_unsafe_image_addresses_are_dropped(src):
    assert sanitize(f'<p>前<img src="{src}" alt="图">后</p>') == "<p>前后</p>"


def test_web_and_site_addresses_are_kept():
    html = (
        '<img src="https://mmbiz.qpic.cn/mmbiz_png/abc/0?wx_fmt=png&amp;from=appmsg">'
        '<img src="HTTP://www.dingtao.gov.cn/a.jpg"><img src="/media/图片/甲.png">'
    )
    assert image_sources(html) == [
        "https://mmbiz.qpic.cn/mmbiz_png/abc/0?wx_fmt=png&from=appmsg",
        "HTTP://www.dingtao.gov.cn/a.jpg",
        "/media/图片/甲.png",
    ]


def test_image_dimensions_must_be_numbers():
    assert (
        sanitize('<img src="/a.png" width="100%" height="auto">')
        == '<img src="/a.png" width="100%">'
    )
    assert sanitize('<img src="/a.png" width="1e9" height="-1">') == '<img src="/a.png">'


def test_nested_and_malformed_html_is_repaired():
    assert sanitize("<p>未闭合<b>粗<i>斜</b>体") == "<p>未闭合<b>粗<i>斜</i></b><i>体</i></p>"
    assert sanitize("<ul><li>一<li>二</ul>") == "<ul><li>一</li><li>二</li></ul>"
    assert sanitize("</p>多余的结束标签</strong>") == "<p></p>多余的结束标签"
    assert sanitize('<p title="<script>">正文</p>') == "<p>正文</p>"
    assert sanitize('<img src="/a.png" alt="a>b"">') == '<img src="/a.png" alt="a&gt;b">'
    deep = "<blockquote>" * 500 + "深层" + "</blockquote>" * 500
    assert "深层" in sanitize(deep)


def test_text_that_looks_like_markup_stays_text():
    assert sanitize("<p>1 &lt; 2 &amp;&amp; 3 &gt; 2，&lt;script&gt;</p>") == (
        "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2，&lt;script&gt;</p>"
    )


def test_an_oversized_input_is_refused_with_a_chinese_message():
    huge = "<p>" + "政务" * (5 * 1024 * 1024 // 2) + "</p>"
    for function in (sanitize, plain_text, image_sources):
        with pytest.raises(ValueError, match=r"^正文不得超过 1000000 字符"):
            function(huge)


def test_the_limit_is_a_parameter():
    assert sanitize("x" * MAX_HTML_CHARS) == "x" * MAX_HTML_CHARS
    with pytest.raises(ValueError, match="正文不得超过 10 字符"):
        sanitize("<p>十一个字符</p>", max_chars=10)


WECHAT_ARTICLE = """
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section style="margin: 0 8px;"><section style="text-align: center;"><span style="font-size: 18px;
color: rgb(178, 34, 34);"><strong>定陶区召开2026年安全生产工作会议</strong></span></section>
<p style="text-indent: 2em;"><span>4月1日上午，区政府召开全区安全生产工作会议。</span><span>会议指出，
要坚持&ldquo;人民至上、生命至上&rdquo;。</span></p>
<p><br></p>
<p style="text-align: center;"><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/x/640"
data-ratio="0.75" src="https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg"></p>
<section><span>会议要求：</span></section>
<ul><li><p>压实企业主体责任；</p></li><li><p>开展隐患排查&nbsp;&nbsp;整治。</p></li></ul>
<p>来源：定陶区应急管理局&nbsp;|&nbsp;编辑：张三</p>
<script>var title = "不是正文";</script><mpvoice name="音频" src="x"></mpvoice>
</section></div>
"""


def test_plain_text_of_a_wechat_article():
    assert plain_text(WECHAT_ARTICLE) == (
        "定陶区召开2026年安全生产工作会议\n"
        "4月1日上午，区政府召开全区安全生产工作会议。会议指出，\n"
        "要坚持“人民至上、生命至上”。\n"
        "会议要求：\n"
        "压实企业主体责任；\n"
        "开展隐患排查  整治。\n"
        "来源：定陶区应急管理局 | 编辑：张三"
    )


def test_plain_text_lines_and_entities():
    html = (
        "<h1>标题</h1><p>　　第一段&amp;&lt;b&gt;</p><p>第二段<br>换行</p>"
        "<ol><li>甲</li><li>乙</li></ol><blockquote>引文</blockquote>"
        '<p><img src="/a.png" alt="图片说明"><a href="/x">链接文字</a></p>'
    )
    assert plain_text(html) == "标题\n　　第一段&<b>\n第二段\n换行\n甲\n乙\n引文\n链接文字"
    assert plain_text("") == ""
    assert plain_text("没有标签的文字") == "没有标签的文字"


def test_image_sources_in_order_and_only_safe_ones():
    html = (
        '<p><img src="/media/1.png"><img src="data:image/gif;base64,R0lGOD"></p>'
        '<img src="https://mmbiz.qpic.cn/2.jpg" onerror="x()"><img alt="无地址">'
        '<script>document.write(\'<img src="/media/evil.png">\')</script><img src="/media/1.png">'
    )
    assert image_sources(html) == ["/media/1.png", "https://mmbiz.qpic.cn/2.jpg", "/media/1.png"]
    assert image_sources("<p>无图</p>") == []


HTMLISH = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<img src=",
            "<a href=",
            '"',
            "'",
            ">",
            "<",
            "/",
            "javascript:",
            "data:",
            "onerror=",
            "onclick=",
            "style=",
            "text-align:center",
            "<script>",
            "</script>",
            "<iframe>",
            "<svg>",
            "&lt;",
            "&#",
            "x",
            "正文",
            " ",
            "=",
            "https://a.example/",
            "//",
            "\\",
            "\t",
            "<!--",
            "-->",
            " title=",
            " lang=",
            " id=",
            "<h2 ",
            "<span ",
            "<img ",
            "<a ",
        ]
    ),
    max_size=40,
).map("".join)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _is_safe_url(url):
    return re.match(r"^(https?://[^/\s]|/(?![/\\]))", url, re.IGNORECASE) is not None


@settings(max_examples=300, deadline=None)
@given(HTMLISH)
def test_only_allowed_markup_survives_any_input(html):
    clean = sanitize(html)
    markup = _Markup()
    markup.feed(clean)
    markup.close()
    for tag, attrs in markup.tags:
        assert tag in ALLOWED_TAGS
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name in ("href", "src"):
            if name in attrs:
                assert _is_safe_url(attrs[name]), attrs
        if "style" in attrs:
            assert re.fullmatch(r"text-align:(left|right|center|justify|start|end)", attrs["style"])
    assert sanitize(clean) == clean
