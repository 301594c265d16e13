"""Issue 14 item 11: long lists offer page numbers (first, last, two either side, … between)."""

from itertools import cycle

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from govmedia.core.pagination import paginate
from govmedia.orgs.models import Organization, OrgType


def test_page_numbers_with_ellipsis_keep_the_filters():
    request = RequestFactory().get("/x/", {"page": "10", "q": "天中"})
    page = paginate(request, list(range(400)), per_page=20)
    assert page.numbers == [1, page.ellipsis, 8, 9, 10, 11, 12, page.ellipsis, 20]
    html = render_to_string("includes/pagination.html", {"page": page})
    assert '<span class="current" aria-current="page">10</span>' in html
    assert 'href="?q=%E5%A4%A9%E4%B8%AD&page=20" aria-label="第 20 页">20</a>' in html
    assert html.count("…") == 2 and "第 10 / 20 页，共 400 条" in html


@pytest.mark.django_db
def test_a_deep_page_is_the_same_rows_in_the_same_order(settings):
    """Past PAGE_DEEP_OFFSET a page is read as its keys, then its rows: the same page as one
    query gives, for a list whose order has ties, with its select_related rows."""
    root = Organization.objects.create(name="区", org_type=OrgType.DISTRICT, path="/p/")
    units = Organization.objects.bulk_create(
        Organization(name=f"单位{i:02d}", parent=root, path=f"/p/{i}/", depth=1, org_type=kind)
        for i, kind in zip(range(45), cycle([OrgType.TOWNSHIP, OrgType.DEPARTMENT]), strict=False)
    )
    listing = Organization.objects.filter(pk__in=[u.pk for u in units]).select_related("parent")
    listing = listing.order_by("org_type", "-pk")  # ties on the type, broken by the key
    expected = list(listing)
    settings.PAGE_DEEP_OFFSET = 10
    pages = []
    for number in (1, 2, 3, 4, 5):
        page = paginate(RequestFactory().get("/x/", {"page": str(number)}), listing, per_page=10)
        pages.append(list(page.object_list))
        if number > 1:
            assert isinstance(page.object_list, list)  # read in two steps
    assert [o.pk for rows in pages for o in rows] == [o.pk for o in expected]
    with CaptureQueriesContext(connection) as queries:
        page = paginate(RequestFactory().get("/x/", {"page": "3"}), listing.all(), per_page=10)
        assert [o.parent.name for o in page.object_list] == ["区"] * 10
    assert len(queries) == 3  # the count, the keys, the rows with their parent


def test_lists_of_values_are_paged_as_before(settings):
    settings.PAGE_DEEP_OFFSET = 0
    page = paginate(RequestFactory().get("/x/", {"page": "2"}), list(range(30)), per_page=10)
    assert list(page.object_list) == list(range(10, 20))
