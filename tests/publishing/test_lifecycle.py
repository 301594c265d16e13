"""The transition tables that pages will read: offered(article, actor) matches what the
services allow."""

import pytest

from govmedia.publishing.lifecycle import ARTICLE, offered, offered_step
from tests.publishing.helpers import active_step, decide, fresh, submit, write

pytestmark = pytest.mark.django_db


def test_what_each_person_is_offered_along_the_way(newsroom):
    n = newsroom
    article = write(n)
    assert offered(article, n.tian_editor) == ["revise", "submit", "delete"]
    assert offered(article, n.tian_reviewer) == []
    assert offered(article, n.chen_editor) == []
    assert offered(article, n.oversight) == []
    submit(n, article)
    article = fresh(article)
    assert offered(article, n.tian_editor) == ["revise", "withdraw", "delete"]
    step = active_step(article)
    assert offered_step(step, n.tian_reviewer) == ["approve", "return", "reject", "reassign"]
    assert offered_step(step, n.tian_leader) == []  # 终审 is not theirs yet
    assert offered_step(step, n.tian_unit_admin) == ["reassign"]
    decide(n.tian_reviewer, step)
    assert offered(fresh(article), n.tian_editor) == ["revise", "delete"]  # no withdraw now
    decide(n.tian_leader, active_step(article), "reject", reason="不宜发布")
    assert offered(fresh(article), n.tian_editor) == ["delete"]


def test_every_state_has_a_way_on_or_is_final():
    sources = set().union(*(t.sources for t in ARTICLE.values()))
    assert "rejected" in sources  # only deletion
    assert {t.target for t in ARTICLE.values()} <= {
        "draft",
        "in_review",
        "returned",
        "rejected",
        "approved",
        "published",
    }
