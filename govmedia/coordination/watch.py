"""发布申请 confirmed by the pull: once a pull commits and publishing's matcher has judged its
posts (its subscriber runs first: PublishingConfig is ready before CoordinationConfig), a post
matched to the approved district article of a request publishes that request."""

import logging

from django.db import transaction

from .services.requests import confirm_published

logger = logging.getLogger(__name__)


def on_posts_published(*, post_ids) -> None:
    """Subscriber of monitoring's POSTS_INGESTED."""
    ids = list(post_ids)
    if ids:
        transaction.on_commit(lambda: _confirm_safely(ids), robust=True)


def _confirm_safely(post_ids: list[int]) -> None:
    try:
        confirm_published(post_ids)
    except Exception:  # noqa: BLE001 - never fail the pull; the office may record the link
        logger.exception("发布申请的发布确认失败（%s 条内容）", len(post_ids))
