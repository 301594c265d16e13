"""Writes of review and publishing: articles (articles.py), review flows (flows.py), review
decisions (reviews.py), authorised publishers (grants.py) and publications (publications.py).
Each is `<noun>_<verb>(*, actor, …)`, atomic, audited in the same transaction; notifications are
rows written in that transaction, so they exist exactly when the change committed."""

from .articles import (
    article_create,
    article_delete,
    article_image_add,
    article_revise,
    article_submit,
    article_withdraw,
    content_hash,
)
from .countersigns import countersign_add, countersign_decide, countersign_remove
from .flows import (
    resolve_flow,
    review_flow_create,
    review_flow_deactivate,
    review_flow_update,
)
from .grants import may_publish, publish_grant_create, publish_grant_revoke
from .publications import (
    approved_run,
    publication_cancel,
    publication_publish,
    publication_record_manual,
)
from .reviews import review_decide, review_reassign

__all__ = [
    "approved_run",
    "article_create",
    "article_delete",
    "article_image_add",
    "article_revise",
    "article_submit",
    "article_withdraw",
    "content_hash",
    "countersign_add",
    "countersign_decide",
    "countersign_remove",
    "may_publish",
    "publication_cancel",
    "publication_publish",
    "publication_record_manual",
    "publish_grant_create",
    "publish_grant_revoke",
    "resolve_flow",
    "review_decide",
    "review_flow_create",
    "review_flow_deactivate",
    "review_flow_update",
    "review_reassign",
]
