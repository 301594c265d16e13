"""What core itself stores: the idempotency keys of create requests (core.idempotency) and the
background Excel exports (core.exports)."""

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


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


ACTIVE_EXPORT_STATES = (ExportState.QUEUED, ExportState.RUNNING)


class ExportJob(models.Model):
    """A large Excel export written by a background task (core.exports): its progress, then the
    file. One user's export of one list with one filter runs once at a time (the constraint).
    `user_id` is a plain number for the same reason as IdempotencyKey.actor_id."""

    user_id = models.BigIntegerField()
    name = models.CharField("导出", max_length=50, help_text="the registered export, e.g. dormant")
    params = models.JSONField("筛选条件", default=dict)
    key = models.CharField(max_length=64, help_text="sha256 of name and params")
    title = models.CharField("名称", max_length=100)
    state = models.CharField(max_length=10, choices=ExportState.choices, default="queued")
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "后台导出"
        verbose_name_plural = "后台导出"
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "key"],
                condition=models.Q(state__in=["queued", "running"]),
                name="export_once_at_a_time",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done_rows / self.total_rows)) if self.total_rows else 0
