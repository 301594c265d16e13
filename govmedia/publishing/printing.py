"""An article's review copied into the 信息发布审核单's plain data (documents.ReviewSheetData).

The sheet shows the run that approved the current revision if there is one, else the latest run
(in review, returned …), else the draft as it stands: who decided each step, what, with which
checks and when, naming each reviewer (谁审查、谁负责).
"""

from datetime import date

from django.utils import timezone

from govmedia.registry.models import Platform

from .documents import Acknowledgement, ReviewSheetData, SheetStep
from .models import CHECKS, Article, ReviewRun
from .services.publications import approved_run


def sheet_run(article: Article) -> ReviewRun | None:
    return approved_run(article) or article.runs.order_by("-pk").first()


def _local(value):
    return timezone.localtime(value) if value else None


def _steps(run: ReviewRun) -> list[SheetStep]:
    steps = []
    for step in run.steps.order_by("position").prefetch_related("reviewers"):
        decisions = list(step.decisions.select_related("reviewer").order_by("decided_at", "pk"))
        for decision in decisions:
            steps.append(
                SheetStep(
                    stage=step.label,
                    reviewer=decision.reviewer.name,
                    decision=decision.get_decision_display(),
                    reason=decision.reason,
                    checks=tuple(
                        (label, decision.checks.get(key) is True) for key, label in CHECKS.items()
                    ),
                    decided_at=_local(decision.decided_at),
                )
            )
        if not decisions:
            reviewers = "、".join(user.name for user in step.reviewers.all())
            steps.append(
                SheetStep(stage=step.label, reviewer=reviewers, decision=step.get_state_display())
            )
    return steps


def _acknowledgements(run: ReviewRun) -> list[Acknowledgement]:
    acks = []
    for decision in run.decisions.select_related("reviewer").order_by("decided_at", "pk"):
        for ack in decision.acknowledgements.values():
            acks.append(
                Acknowledgement(
                    matched=ack.get("matched", ""),
                    category=ack.get("category", ""),
                    reviewer=decision.reviewer.name,
                    reason=ack.get("reason", ""),
                )
            )
    return acks


def review_sheet_data(article: Article, *, today: date | None = None) -> ReviewSheetData:
    run = sheet_run(article)
    revision = run.revision if run else article.current_revision
    platforms = dict(Platform.objects.values_list("code", "name"))
    accounts = tuple(
        f"{t['name']}（{platforms.get(t['platform'], t['platform'])}）" for t in revision.targets
    )
    return ReviewSheetData(
        title=revision.title,
        unit_name=article.org.name,
        article_no=str(article.pk),
        content_class=revision.get_content_class_display(),
        accounts=accounts,
        revision_number=revision.number,
        revision_hash=revision.content_hash,
        author=revision.author.name,
        submitted_by=run.submitted_by.name if run else "",
        submitted_at=_local(run.started_at) if run else None,
        flow_name=run.flow_name if run else "",
        result=run.get_state_display() if run else article.get_state_display(),
        steps=tuple(_steps(run)) if run else (),
        acknowledgements=tuple(_acknowledgements(run)) if run else (),
        printed_on=today or timezone.localdate(),
        source_url=revision.source_url,
    )


def download_name(article: Article, extension: str) -> str:
    name = "".join(ch for ch in (article.title or str(article.pk)) if ch not in '\\/:*?"<>|')[:40]
    return f"信息发布审核单-{name}.{extension}"


__all__ = ["download_name", "review_sheet_data", "sheet_run"]
