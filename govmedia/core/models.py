"""What core itself stores: the idempotency keys of create requests (core.idempotency)."""

from django.db import models


class IdempotencyKey(models.Model):
    """One create request, by its actor's key: a repeat of the key answers with this result.

    `actor_id` is a plain number, not a foreign key: core sits below users and knows no model
    of theirs. The row is written in the transaction that creates the object, so a request that
    fails leaves no key behind and may be sent again.
    """

    actor_id = models.BigIntegerField()
    scope = models.CharField(max_length=50, help_text="what was created, e.g. filings.create")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [
            models.UniqueConstraint(
                fields=["actor_id", "scope", "key"], name="idempotency_key_once_per_actor"
            )
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"
