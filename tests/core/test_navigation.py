"""The active navigation item comes from the URL, never from a view."""

import pytest

from govmedia.core.context_processors import active_item
from tests.conftest import logged_in_client

ITEMS = [
    {"key": "dashboard", "url": "/", "built": True},
    {"key": "registry", "url": "/registry/", "built": True},
    {"key": "filings", "url": "/registry/filings/", "built": True},
    {"key": "statistics", "url": "/registry/stats/", "built": True},
    {"key": "publishing", "url": "/planned/publishing/", "built": False},
]


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/", "dashboard"),
        ("/registry/", "registry"),
        ("/registry/accounts/7/", "registry"),
        ("/registry/filings/7/edit/", "filings"),
        ("/registry/stats/", "statistics"),
        ("/me/", None),
        ("/planned/publishing/", None),
    ],
)
def test_the_longest_matching_item_is_active(path, key):
    assert active_item(ITEMS, path) == key


def test_a_page_marks_its_item(world):
    client = logged_in_client(world.alice)
    response = client.get("/registry/filings/")
    assert response.context["active_nav"] == "filings"
    assert client.get("/monitoring/rectifications/").context["active_nav"] == "rectification"
