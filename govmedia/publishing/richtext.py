"""The article body: sanitising editor HTML, and reading text and images out of it.

Pure Python (nh3 and the standard library, no Django), so it is fast and testable alone.

The allow-list fits 政务 articles and what a WeChat article (图文消息) can carry: paragraphs,
headings h1–h4, bold/italic/underline/strike, quotes, lists, links and images. Nothing else
survives: no script/style/iframe/object/svg (removed with their content), no event attributes,
no classes or ids, and of `style` only `text-align` on blocks (公文 centre the title and
right-align the 落款; the editor writes alignment as an inline style for that reason).

URLs (a[href], img[src]) are http/https, or a site-relative path starting with a single "/" (our
own uploaded images, e.g. /media/…). Everything else — javascript:, data:, vbscript:,
protocol-relative //host, "/\\host" (browsers read it as //host), paths with spaces or control
characters — is dropped. Links get rel="noopener noreferrer". An <img> left without a usable src
is removed, so a published article never shows a broken picture.

Limits: the input is refused beyond `max_chars` characters of HTML, by default 1,000,000 — the
WeChat limit on an article's HTML (1 MB; it also limits the text to 20,000 characters, see
WECHAT_MAX_TEXT_CHARS, which is for the caller to check on plain_text() when the target is
WeChat). Refusing before parsing bounds the work of every function here.
"""

import re
from html.parser import HTMLParser

import nh3

MAX_HTML_CHARS = 1_000_000
WECHAT_MAX_TEXT_CHARS = 20_000

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol", "li"})
INLINE_TAGS = frozenset({"br", "strong", "b", "em", "i", "u", "s", "a", "img"})
ALLOWED_TAGS = BLOCK_TAGS | INLINE_TAGS

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "p": {"style"},
    "h1": {"style"},
    "h2": {"style"},
    "h3": {"style"},
    "h4": {"style"},
}
ALLOWED_STYLE_PROPERTIES = frozenset({"text-align"})
TEXT_ALIGN_VALUES = frozenset({"left", "right", "center", "justify", "start", "end"})
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer"

# Removed together with everything inside them (the default set is only script and style).
CLEAN_CONTENT_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "noscript",
        "noembed",
        "noframes",
        "template",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
        "head",
    }
)

# Blocks that end a line in plain_text(): ours, and those of pasted or pulled HTML (a WeChat
# article is mostly <section>s).
TEXT_BLOCK_TAGS = BLOCK_TAGS | {
    "div",
    "section",
    "article",
    "header",
    "footer",
    "h5",
    "h6",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "hr",
    "dl",
    "dt",
    "dd",
}

_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"`\\]")
_ABSOLUTE_URL = re.compile(r"^https?://[^/?#]", re.IGNORECASE)
_DIMENSION = re.compile(r"^[0-9]{1,4}%?$")
_IMG_TAG = re.compile(r"<img\b[^>]*>")


def _check_length(html: str, max_chars: int) -> None:
    if len(html) > max_chars:
        raise ValueError(f"正文不得超过 {max_chars} 字符（当前 {len(html)} 字符）")


def _safe_url(value: str) -> str | None:
    url = value.strip()
    if not url or _UNSAFE_URL_CHARS.search(url):
        return None
    if url.startswith("/"):
        # "/x" is our own site; "//host" (and "/\host", refused above) is another site.
        return None if url.startswith("//") else url
    return url if _ABSOLUTE_URL.match(url) else None


def _safe_text_align(value: str) -> str | None:
    for declaration in value.split(";"):
        name, _, align = declaration.partition(":")
        if name.strip().lower() == "text-align" and align.strip().lower() in TEXT_ALIGN_VALUES:
            return f"text-align: {align.strip().lower()}"
    return None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return _safe_url(value)
    if attribute == "style":
        return _safe_text_align(value)
    if attribute in ("width", "height"):
        value = value.strip()
        return value if _DIMENSION.match(value) else None
    return value


def sanitize(html: str, *, max_chars: int = MAX_HTML_CHARS) -> str:
    """The HTML reduced to the allow-list; raises ValueError (Chinese message) when too long."""
    _check_length(html, max_chars)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        # "*": none on every tag (ammonia's default otherwise allows lang and title everywhere).
        attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(ALLOWED_STYLE_PROPERTIES),
    )
    # The serialiser quotes every attribute and escapes "<" and ">" in values, so an <img> tag
    # is exactly `<img …>` here; one without a src (it was unsafe) is dropped.
    return _IMG_TAG.sub(lambda m: m.group(0) if ' src="' in m.group(0) else "", cleaned)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in TEXT_BLOCK_TAGS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in TEXT_BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str, *, max_chars: int = MAX_HTML_CHARS) -> str:
    """The text of the HTML, for screening, matching and diffs.

    One line per block (paragraph, heading, list item, quote, <br>; also div/section/table rows
    of pasted or pulled HTML), entities decoded, no-break spaces as spaces, trailing spaces and
    empty lines removed. Leading full-width spaces (the 　　 indent of Chinese paragraphs) stay.
    Script, style and the like contribute nothing; image alt text is not text.
    """
    _check_length(html, max_chars)
    # Keep only the tags that break lines (no attributes), so the parser below sees well-formed,
    # attribute-free markup whatever came in.
    skeleton = nh3.clean(
        html,
        tags=set(TEXT_BLOCK_TAGS | {"br"}),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={"*": set()},
        strip_comments=True,
        link_rel=None,
    )
    collector = _TextCollector()
    collector.feed(skeleton)
    collector.close()
    text = "".join(collector.parts).replace("\u00a0", " ").replace("\r", "")
    lines = (line.rstrip(" \t\f\v") for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip(" \t\f\v"))


class _ImageCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src)

    handle_startendtag = handle_starttag


def image_sources(html: str, *, max_chars: int = MAX_HTML_CHARS) -> list[str]:
    """The src of every image that sanitize() keeps, in document order (repeats included)."""
    collector = _ImageCollector()
    collector.feed(sanitize(html, max_chars=max_chars))
    collector.close()
    return collector.sources
