"""Writes of 留言互动: messages (messages.py: pulled, entered, imported, assigned, transferred,
returned, dismissed, closed) and replies (replies.py: drafted, submitted for review, sent once).
Each is `<noun>_<verb>(*, actor, …)`, atomic, audited in the same transaction; notifications are
rows written in that transaction."""

from .messages import (
    message_assign,
    message_close,
    message_create,
    message_import,
    message_return,
    message_transfer,
    messages_ingest,
)
from .replies import (
    reply_draft,
    reply_from_suggestion,
    reply_record_elsewhere,
    reply_send,
    reply_submit,
)

__all__ = [
    "message_assign",
    "message_close",
    "message_create",
    "message_import",
    "message_return",
    "message_transfer",
    "messages_ingest",
    "reply_draft",
    "reply_from_suggestion",
    "reply_record_elsewhere",
    "reply_send",
    "reply_submit",
]
