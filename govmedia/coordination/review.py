"""Whether a repost is reviewed (先审后发 for 转载任务). The rule:

1. A repost is content of the account that publishes it. By default it goes through the target
   unit's review: the unit writes the 转载 draft from the task (services.drafts, content class
   转载 with its own shorter flow), has it approved and publishes it. The pulled post then
   matches that approved revision (publishing.unapproved) and completes the task
   (detection.py). A repost published on the platform with no approved revision behind it is
   flagged 未经审核发布 like any other post — it still completes the task: the task asks that
   the source be reposted, the finding that it was not reviewed.
2. The district office (平台管理员, `coordination.exempt_review`) may exempt a repost task from
   review when it issues it (`RepostCampaign.review_exempt`). Then a post of a target account
   that reposts the task's source (the repost matcher, REPOST_MATCH_*) and was published after
   the task was issued is no finding: publishing stores it as 免审转载 with the task's title.
   A task exempted from reposting altogether (豁免) exempts nothing from review.

Publishing cannot import coordination: `exempt_sources` is registered with
publishing.exemptions from CoordinationConfig.ready.
"""

from django.db.models import F

from govmedia.publishing.exemptions import ExemptSource

from .models import RepostTask, TaskState


def exempt_sources(account_ids: set[int]) -> dict[int, list[ExemptSource]]:
    """account id → the sources of its review-exempt repost tasks (one query)."""
    rows = (
        RepostTask.objects.filter(account_id__in=account_ids, campaign__review_exempt=True)
        .exclude(state=TaskState.EXEMPTED)
        .values_list(
            "account_id",
            "campaign_id",
            "campaign__title",
            "campaign__source_text",
            "campaign__source_html",
            "campaign__issued_at",
        )
        .order_by("account_id", F("campaign_id"))
    )
    found: dict[int, list[ExemptSource]] = {}
    for account_id, campaign_id, title, text, html, issued_at in rows:
        found.setdefault(account_id, []).append(
            ExemptSource(f"repost-campaign:{campaign_id}", title, text, html, issued_at)
        )
    return found
