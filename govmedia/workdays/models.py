"""The administrators' part of the working-day calendar.

chinese-calendar ships the State Council schedules it knows; for the other years the engine falls
back to weekends and the statutory holidays. What the administrators add here is stored as
differences from that: a `CalendarDay` for each day the notice makes a holiday or a 调休 make-up
workday, and a `PublishedYear` once a year's notice has been entered in full, which is what makes
that year's deadlines final rather than provisional.

Every write goes through `services.py`, which also bumps `CalendarVersion` in the same transaction:
that single row is how every process learns that its cached calendar is stale.
"""

from django.conf import settings
from django.db import models


class CalendarDay(models.Model):
    """An administrator's override of one day: a holiday, or a 调休 make-up workday."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="是：调休上班；否：放假")
    name = models.CharField("名称", max_length=50, help_text="如：春节、国庆节、调休上班")
    source_notice = models.CharField(
        "依据文件", max_length=200, help_text="如：国办发明电〔2026〕X号"
    )
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "日历调整"
        verbose_name_plural = "日历调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}（{'上班' if self.is_workday else '放假'}）"

    @property
    def kind_label(self) -> str:
        return "调休上班" if self.is_workday else "放假"


class PublishedYear(models.Model):
    """The declaration that a year's official schedule has been entered: its deadlines are final."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source_notice = models.CharField(
        "依据文件", max_length=200, help_text="国务院办公厅关于该年部分节假日安排的通知文号"
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="声明人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField("声明时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发布年度"
        verbose_name_plural = "已发布年度"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} 年（{self.source_notice}）"


class CalendarVersion(models.Model):
    """One row (pk=1) naming the current state of the calendar tables.

    Every calendar service changes `stamp` in its own transaction, so a process holding a cached
    calendar compares one short string per call and rebuilds only when another process (or this
    one) committed a change. A random stamp rather than the counter alone: a transaction that
    bumps the counter and rolls back must not leave a cache keyed by a number that a later,
    different commit will reuse.
    """

    version = models.PositiveBigIntegerField("版本", default=0)
    stamp = models.CharField(max_length=32, default="initial")
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "日历版本"
