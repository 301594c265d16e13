"""Forms of the 协同转载 pages. They only parse what the browser sent; every rule (who may issue
to which accounts, the deadline's bounds, the source) is the services', whose errors are shown on
the field they name (core.forms.add_service_error)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from govmedia.core.forms import Form
from govmedia.core.scope import may
from govmedia.monitoring.models import Post
from govmedia.orgs.forms import active_orgs_in_scope
from govmedia.orgs.models import OrgType
from govmedia.publishing.models import Article, ArticleState
from govmedia.registry.models import AccountStatus, MediaAccount, Platform

from .models import DeadlineUnit, Priority, SourceKind

BASIS = "依据：通知第二部分（三）“整体联动、集体发声”"
SOURCE_CHOICES_DAYS = 30
SOURCE_CHOICES_MAX = 100


def source_choices(user) -> list[tuple[str, str]]:
    """Recent posts of the accounts the user sees and their approved articles, as
    "post:<id>" / "article:<id>"."""
    since = timezone.now() - timedelta(days=SOURCE_CHOICES_DAYS)
    posts = (
        Post.objects.restrict(user)
        .filter(published_at__gte=since, deleted_at__isnull=True)
        .select_related("account")
        .order_by("-published_at")[:SOURCE_CHOICES_MAX]
    )
    articles = (
        Article.objects.restrict(user)
        .alive()
        .filter(state__in=[ArticleState.APPROVED, ArticleState.PUBLISHED])
        .select_related("org")
        .order_by("-updated_at")[:SOURCE_CHOICES_MAX]
    )
    return [
        ("", "请选择转载来源"),
        (
            "已发布内容",
            [
                (
                    f"post:{p.pk}",
                    f"{p.account.name}：{p.headline}（{timezone.localtime(p.published_at):%m-%d %H:%M}）",
                )
                for p in posts
            ],
        ),
        (
            "审核通过的稿件",
            [(f"article:{a.pk}", f"{a.org.name}：{a.title}") for a in articles],
        ),
    ]


class IssueForm(Form):
    source = forms.ChoiceField(
        label="转载来源",
        help_text="本单位范围内近 30 天的已发布内容或审核通过的稿件",
        error_messages={
            "invalid_choice": "所选转载来源不可用：须为本单位范围内近 30 天的已发布内容"
            "或当前版本已审核通过的稿件"
        },
    )
    title = forms.CharField(
        label="任务名称", max_length=200, required=False, help_text="留空则为“转载：原文标题”"
    )
    platforms = forms.MultipleChoiceField(
        label="运行平台", required=False, widget=forms.CheckboxSelectMultiple
    )
    org_types = forms.MultipleChoiceField(
        label="单位类型",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(v, label) for v, label in OrgType.choices if v != OrgType.DISTRICT],
    )
    org_ids = forms.ModelMultipleChoiceField(
        label="指定单位", queryset=None, required=False, help_text="含其下级单位"
    )
    account_ids = forms.ModelMultipleChoiceField(
        label="指定账号", queryset=None, required=False, help_text="不论平台、单位类型，一并下达"
    )
    deadline_value = forms.IntegerField(label="转载时限", min_value=1, initial=4)
    deadline_unit = forms.ChoiceField(
        label="时限单位", choices=DeadlineUnit.choices, initial=DeadlineUnit.HOURS
    )
    priority = forms.ChoiceField(label="优先级", choices=Priority.choices, initial=Priority.HIGH)
    note = forms.CharField(
        label="转载要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_exempt = forms.BooleanField(
        label="免于审核",
        required=False,
        help_text="仅区政府办公室可选：各单位转载原文无需再经本单位审核流程，"
        "否则转载稿按“转载”类别的审核流程审核后发布（依据：通知第四部分（二））",
    )
    expected_count = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not may(user, "coordination.exempt_review"):
            del self.fields["review_exempt"]
        self.fields["source"].choices = source_choices(user)
        self.fields["platforms"].choices = list(
            Platform.objects.filter(is_active=True)
            .order_by("sort_order")
            .values_list("code", "name")
        )
        self.fields["org_ids"].queryset = active_orgs_in_scope(user)
        self.fields["account_ids"].queryset = (
            MediaAccount.objects.restrict(user, "view")
            .filter(status=AccountStatus.RUNNING)
            .select_related("platform", "host_org")
            .order_by("host_org__path", "name")
        )
        self.fields["account_ids"].label_from_instance = lambda a: (
            f"{a.name}（{a.platform.name} · {a.host_org.name}）"
        )

    def source_parts(self) -> tuple[str, int | None]:
        kind, _, pk = self.cleaned_data["source"].partition(":")
        return (kind if kind in SourceKind.values else "", int(pk) if pk.isdigit() else None)

    def rule(self) -> dict:
        data = self.cleaned_data
        return {
            "platforms": list(data["platforms"]),
            "org_types": list(data["org_types"]),
            "org_ids": [o.pk for o in data["org_ids"]],
            "account_ids": [a.pk for a in data["account_ids"]],
        }


class ReportForm(Form):
    url = forms.CharField(label="转载链接", max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExemptForm(Form):
    reason = forms.CharField(label="豁免理由", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- 发布申请 ----------------------------------------------------------------------------------


def requestable_articles(user):
    """The user's unit's articles its own review has approved (稿件 of its subtree)."""
    return (
        Article.objects.restrict(user, "write")
        .alive()
        .filter(state__in=[ArticleState.APPROVED, ArticleState.PUBLISHED])
        .select_related("org")
        .order_by("-updated_at")[:SOURCE_CHOICES_MAX]
    )


class PublishRequestForm(Form):
    article = forms.ChoiceField(
        label="申请发布的稿件",
        help_text="本单位审核通过的稿件：申请后经区级审核，由政府网账号发布",
        error_messages={
            "invalid_choice": "所选稿件不可申请发布：须为本单位当前版本已审核通过的稿件"
        },
    )
    accounts = forms.ModelMultipleChoiceField(
        label="政府网账号",
        queryset=MediaAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="区政府办公室登记的政府网账号",
    )
    proposed_at = forms.DateTimeField(
        label="拟发布时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="北京时间；区政府办公室据此安排审核与发布",
    )
    note = forms.CharField(
        label="申请说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="需要政府网账号发布的理由、发布要求等",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "请选择稿件")] + [
            (str(a.pk), f"{a.org.name}：{a.title}") for a in requestable_articles(user)
        ]
        from .services.requests import government_site_accounts

        self.fields["accounts"].queryset = government_site_accounts().order_by("name")
        self.fields["accounts"].label_from_instance = lambda a: f"{a.name}（{a.platform.name}）"


class RequestReturnForm(Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="告知申请单位为什么不能发布，或需要修改什么",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RequestPublishedForm(Form):
    url = forms.CharField(
        label="发布链接", max_length=1000, help_text="政府网账号发布后的网址（采集到后自动确认）"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
