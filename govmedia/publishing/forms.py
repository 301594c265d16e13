"""Forms of the 稿件审核 pages. They only parse what the browser sent; every rule (who may, what
is allowed, the flow's reviewers, the grant's validity) is the services', whose errors are shown
on the field they name (core.forms.add_service_error)."""

from django import forms

from govmedia.core.forms import Form
from govmedia.core.roles import Role
from govmedia.orgs.forms import active_orgs_in_scope
from govmedia.registry.models import AccountStatus, MediaAccount
from govmedia.users.models import User

from .findings import WHERE_LABELS
from .models import (
    CHECKS,
    ContentClass,
    Decision,
    FlowPurpose,
    LimitUnit,
    Stage,
    StepMode,
)
from .services.flows import MAX_STEPS, REVIEWING_ROLES

BASIS = "依据：通知第四部分（二）“分级审核、先审后发、授权发布”"


class ArticleForm(Form):
    org = forms.ModelChoiceField(label="所属单位", queryset=None, empty_label=None)
    title = forms.CharField(
        label="标题",
        max_length=200,
        help_text="不超过 64 个字；发布到微信公众号的标题不超过 32 个字",
    )
    content_class = forms.ChoiceField(
        label="内容类别",
        choices=[("", "请选择"), *ContentClass.choices],
        help_text="重大政策、突发事件类内容须经区级必经环节审核",
    )
    targets = forms.ModelMultipleChoiceField(
        label="发布账号",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="本单位（及下级单位）运行中的政务新媒体；只能发布到所选账号",
    )
    source_url = forms.CharField(label="原文链接", required=False, max_length=1000)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 16}), required=False)
    cover = forms.TypedChoiceField(
        label="封面图片",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="发布到微信公众号须有封面：先在正文中上传图片，保存后在此选择",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = active_orgs_in_scope(user)
        self.fields["targets"].queryset = (
            MediaAccount.objects.restrict(user, "view")
            .filter(status=AccountStatus.RUNNING)
            .select_related("platform", "host_org")
            .order_by("host_org__path", "name")
        )
        self.fields["targets"].label_from_instance = lambda a: (
            f"{a.name}（{a.platform.name} · {a.host_org.name}）"
        )
        if article is None:
            del self.fields["cover"]
        else:
            del self.fields["org"]
            self.fields["cover"].choices = [("", "无封面")] + [
                (image.pk, image.original_name or image.file.name.rsplit("/", 1)[-1])
                for image in article.images.order_by("pk")
            ]


class DecisionForm(Form):
    """审核意见: the decision, its reason, the four checks and one acknowledgement per warn."""

    decision = forms.ChoiceField(
        label="审核意见", choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="意见说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回修改、驳回须写明理由；审核通过可填写意见",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    revision_hash = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHECKS.items():
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)
        self.warnings = list(warnings)
        for index, finding in enumerate(self.warnings):
            self.fields[f"ack_{index}"] = forms.CharField(
                label=f"核实说明：{finding['matched']}",
                required=False,
                max_length=500,
            )

    def check_fields(self):
        return [self[f"check_{key}"] for key in CHECKS]

    def ack_rows(self):
        """[(finding, where it is, its field)] for each warn finding."""
        return [
            (finding, WHERE_LABELS.get(finding["where"], ""), self[f"ack_{i}"])
            for i, finding in enumerate(self.warnings)
        ]

    def checks(self) -> dict:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key in CHECKS}

    def acknowledgements(self) -> dict:
        return {
            finding["key"]: self.cleaned_data.get(f"ack_{i}") or ""
            for i, finding in enumerate(self.warnings)
        }


class ReassignForm(Form):
    to_user = forms.ModelChoiceField(label="转交给", queryset=User.objects.none())
    note = forms.CharField(label="转交说明", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = candidates
        self.fields["to_user"].label_from_instance = lambda u: f"{u.name}（{u.org.name}）"


class PublishForm(Form):
    target = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.DateTimeField(
        label="定时发布",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="留空为立即发布",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ManualPublicationForm(Form):
    target = forms.IntegerField(widget=forms.HiddenInput)
    url = forms.CharField(label="作品链接", max_length=1000, required=False)
    published_at = forms.DateTimeField(
        label="发布时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- flows -----------------------------------------------------------------------------------

STEP_ROWS = MAX_STEPS  # as many rows as a flow may have steps: editing never drops one


class FlowForm(Form):
    name = forms.CharField(label="流程名称", max_length=200)
    org = forms.ModelChoiceField(label="适用单位", queryset=None, empty_label=None)
    purpose = forms.ChoiceField(label="类型", choices=FlowPurpose.choices, initial=FlowPurpose.UNIT)
    account = forms.ModelChoiceField(
        label="适用账号", queryset=None, required=False, empty_label="本单位全部账号"
    )
    content_class = forms.ChoiceField(
        label="适用内容类别", choices=[("", "全部内容类别"), *ContentClass.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, flow=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = active_orgs_in_scope(user)
        self.fields["account"].queryset = (
            MediaAccount.objects.restrict(user, "view")
            .exclude(status=AccountStatus.CANCELLED)
            .select_related("platform")
            .order_by("name")
        )
        if not user.sees_whole_district:
            del self.fields["purpose"]
        if flow is not None:  # the scope of a flow is fixed; a new scope is a new flow
            for name in ("org", "purpose", "account", "content_class"):
                self.fields.pop(name, None)
        orgs = active_orgs_in_scope(user)
        reviewers = (
            User.objects.filter(is_active=True, role__in=REVIEWING_ROLES)
            .filter(org__in=orgs)
            .select_related("org")
            .order_by("org__path", "name")
        )
        role_choices = [("", "不按角色")] + [
            (role.value, role.label) for role in Role if role in REVIEWING_ROLES
        ]
        for i in range(STEP_ROWS):
            p = f"step{i}_"
            self.fields[p + "stage"] = forms.ChoiceField(
                label="审级", choices=[("", "（不设此环节）"), *Stage.choices], required=False
            )
            self.fields[p + "name"] = forms.CharField(
                label="环节名称", required=False, max_length=200
            )
            self.fields[p + "mode"] = forms.ChoiceField(
                label="通过方式", choices=StepMode.choices, required=False
            )
            self.fields[p + "limit_value"] = forms.IntegerField(
                label="时限", required=False, min_value=0
            )
            self.fields[p + "limit_unit"] = forms.ChoiceField(
                label="时限单位", choices=LimitUnit.choices, required=False
            )
            self.fields[p + "reviewer_org"] = forms.ModelChoiceField(
                label="审核人所在单位", queryset=orgs, required=False, empty_label="不按单位"
            )
            self.fields[p + "reviewer_role"] = forms.ChoiceField(
                label="审核人角色", choices=role_choices, required=False
            )
            self.fields[p + "reviewer_users"] = forms.ModelMultipleChoiceField(
                label="指定审核人", queryset=reviewers, required=False
            )
            self.fields[p + "reviewer_users"].label_from_instance = lambda u: (
                f"{u.name}（{u.org.name}·{u.get_role_display()}）"
            )
            for name in self.STEP_FIELDS:
                field = self.fields[p + name]
                field.widget.attrs["aria-label"] = f"第 {i + 1} 个环节的{field.label}"

    STEP_FIELDS = (
        "stage",
        "name",
        "mode",
        "limit_value",
        "limit_unit",
        "reviewer_org",
        "reviewer_role",
        "reviewer_users",
    )

    def step_rows(self):
        """[(number, {field name: bound field})] for the steps table."""
        return [
            (i + 1, {name: self[f"step{i}_{name}"] for name in self.STEP_FIELDS})
            for i in range(STEP_ROWS)
        ]

    def steps(self) -> list[dict]:
        """The filled rows, in order, as the service takes them."""
        data, steps = self.cleaned_data, []
        for i in range(STEP_ROWS):
            p = f"step{i}_"
            if not data.get(p + "stage"):
                continue
            org = data.get(p + "reviewer_org")
            steps.append(
                {
                    "stage": data[p + "stage"],
                    "name": data.get(p + "name") or "",
                    "mode": data.get(p + "mode") or StepMode.ANY,
                    "limit_value": data.get(p + "limit_value"),
                    "limit_unit": data.get(p + "limit_unit"),
                    "reviewer_org_id": org.pk if org else None,
                    "reviewer_role": data.get(p + "reviewer_role") or "",
                    "reviewer_user_ids": [u.pk for u in data.get(p + "reviewer_users") or ()],
                }
            )
        return steps


def flow_initial(flow) -> dict:
    initial = {"name": flow.name, "version": flow.version}
    for i, step in enumerate(flow.steps.order_by("position")[:STEP_ROWS]):
        p = f"step{i}_"
        initial |= {
            p + "stage": step.stage,
            p + "name": step.name,
            p + "mode": step.mode,
            p + "limit_value": step.limit_value,
            p + "limit_unit": step.limit_unit,
            p + "reviewer_org": step.reviewer_org_id,
            p + "reviewer_role": step.reviewer_role,
            p + "reviewer_users": list(step.reviewer_users.values_list("pk", flat=True)),
        }
    return initial


# --- grants ----------------------------------------------------------------------------------


class GrantForm(Form):
    user = forms.ModelChoiceField(
        label="授权发布人", queryset=User.objects.none(), empty_label="请选择人员"
    )
    valid_from = forms.DateField(
        label="有效期自", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label="有效期至", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.name}（{u.org.name}·{u.get_role_display()}）"
        )


class RevokeForm(Form):
    reason = forms.CharField(label="撤销理由", required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)
