"""The 未经审核发布 compliance rule over hand-made rows (compliance.rules is pure): publishing
contributes the counts, compliance turns them into one finding per account."""

from datetime import date

from govmedia.compliance import rules


def snapshot(counts):
    account = rules.AccountRow(
        id=7,
        name="天中发布",
        platform_id=1,
        platform_name="微信公众号",
        host_org_id=3,
        status="running",
        filing_no="号1",
        verified=True,
        registered_on=date(2026, 3, 2),
        created_on=date(2026, 3, 2),
    )
    return rules.Snapshot(
        today=date(2026, 12, 2),
        calendar=None,
        accounts=[account],
        orgs={},
        counts={rules.UNAPPROVED_POSTS: counts},
    )


def test_an_account_with_findings_is_reported_once_with_the_count():
    found = list(
        rules.check_unapproved_posts(snapshot({7: rules.AccountCount(3, date(2026, 12, 1))}))
    )
    assert [(f.rule, f.account_id, f.org_id, f.since) for f in found] == [
        ("unapproved_posts", 7, 3, date(2026, 12, 1))
    ]
    assert "3 条" in found[0].message and "2026-12-01" in found[0].message


def test_no_count_no_finding():
    assert not list(rules.check_unapproved_posts(snapshot({})))
    assert not list(rules.check_unapproved_posts(snapshot({7: rules.AccountCount(0)})))
