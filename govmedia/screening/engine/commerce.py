"""Whether a span sits in commercial prose.

广告法第九条's 极限词 (第一, 国家级, 唯一 …) are ordinary words in government prose (第一书记,
国家级贫困县); they are only advertising next to something being sold.
"""

import re

from .document import Document

WINDOW = 15  # content chars either side of the term

_CUES = re.compile(
    r"价格|售价|原价|特价|价位|购买|选购|抢购|下单|销量|销售|品牌|产品|商品|优惠|促销|折扣|包邮"
    r"|厂家|旗舰店|专卖|代理|加盟|招商"
    r"|[0-9一二三四五六七八九十两百千万][ \u3000]?(?:元|块钱|折)"
    r"|[¥￥$＄][ \u3000]?[0-9]"
)


def in_commercial_context(document: Document, start: int, end: int) -> bool:
    """Whether a commerce cue lies within WINDOW chars of folded[start:end]."""
    content_start, content_end = document.content_span(start, end)
    window_start = max(0, content_start - WINDOW)
    return _CUES.search(document.light, window_start, content_end + WINDOW) is not None
