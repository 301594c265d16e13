"""The highlight view: escaped text, a <mark> per covered piece, exact offsets, overlaps safe."""

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from govmedia.screening.engine import Finding
from govmedia.screening.highlight import grouped_by_category, highlighted_html


class Marks(HTMLParser):
    """The text back out of the HTML, and for each finding number the characters marked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.marked, self.depth, self.current = [], {}, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark":
            assert self.depth == 0, "marks never nest"
            self.depth += 1
            self.current = [int(n) for n in attrs["data-findings"].split()]
        else:
            assert tag == "span" and attrs["class"] == "finding-anchor", f"unexpected <{tag}>"

    def handle_endtag(self, tag):
        if tag == "mark":
            self.depth -= 1
            self.current = []

    def handle_data(self, data):
        position = len("".join(self.text))
        self.text.append(data)
        for number in self.current:
            self.marked.setdefault(number, []).extend(range(position, position + len(data)))


def parse(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    parser.close()
    return parser


def finding(start, end, category="typo", severity="warn", rule="r"):
    return Finding(category, rule, severity, start, end, "", "", "", "")


def test_overlapping_findings_are_marked_exactly_without_nesting():
    text = "甲乙丙丁戊己庚"
    findings = [
        finding(1, 4, "sensitive", "block"),
        finding(2, 6, "typo"),
        finding(2, 3, "personal_data"),
    ]
    html = highlighted_html(text, findings)
    parsed = parse(html)
    assert "".join(parsed.text) == text
    for number, f in enumerate(findings, start=1):
        assert parsed.marked[number] == list(range(f.start, f.end))
    # A piece under a block finding is marked block; the overlap is flagged.
    assert '<mark class="finding sev-block overlap"' in html
    assert html.count('id="f-') == 3


def test_text_is_escaped_and_never_markup():
    text = '<script>alert("x")</script>&amp;台湾总统'
    start = text.index("台湾总统")
    html = highlighted_html(text, [finding(start, start + 4, "political_expression", "block")])
    assert "<script>" not in html
    assert html.startswith("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;")
    assert "".join(parse(html).text) == text


def test_titles_are_escaped_too():
    f = Finding("typo", '"><script>', "warn", 0, 1, "a", '"><b>', "", "")
    html = highlighted_html("ab", [f])
    assert "<script>" not in html and "<b>" not in html
    assert (
        'title="常见差错·提醒核实：&quot;&gt;&lt;script&gt;，建议改为“&quot;&gt;&lt;b&gt;”"' in html
    )


def test_offsets_outside_the_text_mark_less_and_break_nothing():
    html = highlighted_html("abc", [finding(-5, 2), finding(2, 99), finding(3, 3)])
    parsed = parse(html)
    assert "".join(parsed.text) == "abc"
    assert parsed.marked == {1: [0, 1], 2: [2]}


@given(
    st.text(alphabet="ab<&>\"'台\n", max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.booleans()), max_size=8),
)
def test_any_findings_on_any_text_are_covered_exactly(text, spans):
    findings = [
        finding(
            min(a, b, len(text)), min(max(a, b), len(text)), severity="block" if block else "warn"
        )
        for a, b, block in spans
    ]
    parsed = parse(highlighted_html(text, findings))
    assert "".join(parsed.text) == text
    for number, f in enumerate(findings, start=1):
        assert parsed.marked.get(number, []) == list(range(f.start, f.end))


def test_groups_follow_the_category_order_and_cap_the_list():
    findings = [finding(i, i + 1, "typo") for i in range(5)] + [
        finding(0, 1, "classified", "block")
    ]
    groups = grouped_by_category(findings, limit=3)
    assert [g.code for g in groups] == ["classified", "typo"]
    typo = groups[1]
    assert (typo.total, len(typo.findings), typo.hidden, typo.block_count) == (5, 3, 2, 0)
    assert [number for number, _ in typo.findings] == [1, 2, 3]
    assert groups[0].findings[0][0] == 6 and groups[0].block_count == 1
