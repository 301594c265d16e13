"""Issue 14 item 11: long lists offer page numbers (first, last, two either side, … between)."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from govmedia.core.pagination import paginate


def test_page_numbers_with_ellipsis_keep_the_filters():
    request = RequestFactory().get("/x/", {"page": "10", "q": "天中"})
    page = paginate(request, list(range(400)), per_page=20)
    assert page.numbers == [1, page.ellipsis, 8, 9, 10, 11, 12, page.ellipsis, 20]
    html = render_to_string("includes/pagination.html", {"page": page})
    assert '<span class="current" aria-current="page">10</span>' in html
    assert 'href="?q=%E5%A4%A9%E4%B8%AD&page=20" aria-label="第 20 页">20</a>' in html
    assert html.count("…") == 2 and "第 10 / 20 页，共 400 条" in html
