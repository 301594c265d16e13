"""The 备案表 as one web form, grouped like the paper form of the notice's attachment.

A draft may be saved incomplete (only what the database needs: 运行平台 and the event date);
submitting runs the one set of form rules (form_rules.form_errors), so the page, the services
and the Excel import give the same Chinese message for the same mistake.
"""

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils import timezone

from govmedia.core.forms import Form
from govmedia.orgs.forms import OrgChoiceField

from . import form_rules
from .models import FORM_FIELDS, TEAM_ROLES, Filing, FilingKind, OperatorKind, Platform

BASIS = "依据：通知第二部分（一）及附件《菏泽市定陶区政务新媒体备案表》"

FIELDSETS = (
    (
        "基本信息",
        ("name", "handle", "platform", "registrant", "registered_on", "verified", "positioning"),
    ),
    ("运维与联系", ("operator_kind", "operator", "contact_name", "contact_phone")),
    (
        "管理队伍",
        tuple(f"{p}_{part}" for p, _ in TEAM_ROLES for part in ("name", "office_phone", "mobile")),
    ),
    ("其他", ("notes",)),
)
assert {f for _, fields in FIELDSETS for f in fields} == set(FORM_FIELDS)

SUMMARY_LABELS = {
    FilingKind.CHANGE: ("变更事项说明", "简述变更了什么、为什么变更，如“账号更名，运维机构调整”"),
    FilingKind.SUSPEND: ("关停原因", "简述关停原因及关停后信息发布的安排"),
    FilingKind.CANCEL: (
        "注销原因",
        "如机构改革中单位撤销、整合，不再使用原账号（通知第二部分（一））",
    ),
}

EVENT_HELP = {
    FilingKind.OPEN: "账号在平台上实际开设的日期，备案期限自此起算",
    FilingKind.CHANGE: "名称、注册单位等信息实际变更的日期，备案期限自此起算",
    FilingKind.SUSPEND: "账号实际停止运行的日期，备案期限自此起算",
    FilingKind.CANCEL: "账号在平台上实际注销的日期，备案期限自此起算",
}

HELP = {
    "handle": "平台上的账号、微信号或 ID",
    "registrant": "在平台上登记的注册主体，一般为本单位全称",
    "verified": "是否已通过平台的政务机构官方认证",
    "positioning": "账号的功能定位：发布什么、服务谁",
    "operator_kind": "可通过购买服务等方式委托相关机构具体承担日常运维（通知第二部分（二））",
    "operator": "委托运维的，填写运维机构全称",
    "contact_phone": "手机号或带区号的办公电话，如 0530-2212021",
    "notes": "其他需要向区政府办公室说明的事项",
}


def date_widget(attrs=None):
    # ISO format whatever the locale: <input type="date"> accepts nothing else.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **(attrs or {})})


TEXTAREAS = {"positioning": 3, "notes": 3}
PHONE_FIELDS = {f for f in FORM_FIELDS if f.endswith("phone") or f.endswith("mobile")}


def _form_field(name: str) -> forms.Field:
    label = form_rules.LABELS[name]
    if name == "platform":
        return forms.ModelChoiceField(
            label=label,
            queryset=Platform.objects.filter(is_active=True),
            empty_label="请选择",
            error_messages={
                "required": "请选择运行平台（保存草稿也需要）",
                "invalid_choice": "运行平台无效，请重新选择",
            },
        )
    if name == "registered_on":
        return forms.DateField(
            label=label,
            required=False,
            widget=date_widget(),
            error_messages={"invalid": "注册时间应为有效日期"},
        )
    if name == "verified":
        return forms.TypedChoiceField(
            label=label,
            choices=(("1", "已认证"), ("0", "未认证")),
            coerce=lambda v: v == "1",
            required=False,
            empty_value=False,
            widget=forms.RadioSelect(attrs={"class": "radios"}),
        )
    if name == "operator_kind":
        return forms.ChoiceField(
            label=label,
            choices=OperatorKind.choices,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "radios"}),
        )
    # aria-label: the 管理队伍 inputs sit in a table whose headers are their only visible label.
    attrs = {"maxlength": Filing._meta.get_field(name).max_length, "aria-label": label}
    if name in PHONE_FIELDS:
        attrs |= {"inputmode": "tel", "autocomplete": "off"}
    widget = (
        forms.Textarea(attrs=attrs | {"rows": TEXTAREAS[name]})
        if name in TEXTAREAS
        else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(label=label, required=False, widget=widget)


SUBMIT_REQUIRED = frozenset(form_rules.REQUIRED)
WIDE = frozenset({"positioning", "notes", "change_summary"})


@dataclass(frozen=True)
class FieldView:
    field: forms.BoundField
    wide: bool
    required: bool


class FilingForm(Form):
    """FORM_FIELDS + event_date + change_summary (+ the host org when a filing is started)."""

    def __init__(
        self,
        *args,
        kind: str,
        complete: bool = False,
        org_queryset=None,
        locked: frozenset[str] = frozenset(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind, self.complete = kind, complete
        if org_queryset is not None:
            self.fields["org"] = OrgChoiceField(
                label="主办单位（备案单位）",
                queryset=org_queryset,
                empty_label="请选择",
                help_text="谁开设、谁主办（通知第二部分（二））；只能选择本单位及下级单位",
                error_messages={"required": "请选择主办单位"},
            )
        self.fields["event_date"] = forms.DateField(
            label=f"{FilingKind(kind).label}日期",
            # The deadline under the field follows the picked date (htmx, see _deadline.html).
            widget=date_widget(
                attrs={
                    "hx-get": f"{reverse('registry:deadline_preview')}?kind={kind}",
                    "hx-trigger": "change",
                    "hx-target": "#deadline-line",
                }
            ),
            error_messages={
                "required": f"请填写{FilingKind(kind).label}日期",
                "invalid": f"{FilingKind(kind).label}日期应为有效日期",
            },
            help_text=EVENT_HELP[kind],
        )
        for name in FORM_FIELDS:
            self.fields[name] = _form_field(name)
            self.fields[name].help_text = HELP.get(name, "")
            self.fields[name].disabled = name in locked
        if kind in SUMMARY_LABELS:
            label, help_text = SUMMARY_LABELS[kind]
            self.fields["change_summary"] = forms.CharField(
                label=label,
                required=False,
                help_text=help_text,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
            )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def fieldsets(self):
        """(title, [FieldView]) in the order of the paper form."""
        head = [name for name in ("org", "event_date", "change_summary") if name in self.fields]
        return [
            (title, [self._view(name) for name in names])
            for title, names in (("备案事项", head), *FIELDSETS)
        ]

    def _view(self, name: str) -> FieldView:
        required = name in SUBMIT_REQUIRED or self.fields[name].required
        return FieldView(self[name], wide=name in WIDE, required=required)

    def team_rows(self):
        """The 管理队伍 block as the paper form prints it: one row per member."""
        return [
            (
                label,
                self[f"{prefix}_name"],
                self[f"{prefix}_office_phone"],
                self[f"{prefix}_mobile"],
            )
            for prefix, label in TEAM_ROLES
        ]

    def clean(self):
        cleaned = super().clean()
        values = self.values()
        errors = {}
        for name in FORM_FIELDS:
            limit = Filing._meta.get_field(name).max_length
            value = values.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                errors[name] = f"{form_rules.LABELS[name]}不得超过 {limit} 个字符"
        if self.complete:
            rules = form_rules.form_errors(
                form_rules.normalize_values(values), today=timezone.localdate()
            )
            errors = rules | errors
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        summary = cleaned.get("change_summary") or ""
        if len(summary) > 1000:
            self.add_error("change_summary", "说明不得超过 1000 个字符")
        return cleaned

    def values(self) -> dict:
        """The form's values for the services: missing text as "", never None."""
        data = getattr(self, "cleaned_data", {})
        values = {}
        for name in FORM_FIELDS:
            value = data.get(name)
            if name == "verified":
                value = bool(value)
            elif name not in ("platform", "registered_on") and value is None:
                value = ""
            values[name] = value
        return values


def initial_from(obj, **extra) -> dict:
    """Initial form values from an account (a new filing) or a filing (editing it)."""
    initial = {name: getattr(obj, name) for name in FORM_FIELDS}
    # The radio buttons carry "1"/"0", so a locked (disabled) field cleans its initial value.
    initial["verified"] = "1" if obj.verified else "0"
    return initial | extra


class ReturnForm(Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="告知备案单位需要修改什么；备案单位修改后可重新提交",
        error_messages={"required": "请填写退回理由，告知备案单位需要修改什么"},
    )


class ScanForm(Form):
    scan = forms.FileField(
        label="签章扫描件",
        help_text="加盖公章、负责人签字后的备案表扫描件：PDF、JPG 或 PNG，不超过 10 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": "请选择要上传的签章扫描件", "empty": "所选文件为空"},
    )


class ApproveForm(Form):
    """准予备案: the signed and stamped form, or why the filing is approved without it."""

    scan = forms.FileField(
        label="签章扫描件",
        required=False,
        help_text="加盖公章、负责人签字后的备案表扫描件：PDF、JPG 或 PNG，不超过 10 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"empty": "所选文件为空"},
    )
    no_scan_reason = forms.CharField(
        label="未上传扫描件的理由",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="没有签章扫描件时必填，记入审计日志并显示在备案上",
        error_messages={"max_length": "未上传扫描件的理由不能超过 1000 字"},
    )


class GovernmentSiteForm(Form):
    """政府网账号: the district office marks the district's own accounts (发布申请 go to them)."""

    is_government_site = forms.BooleanField(
        label="政府网账号",
        required=False,
        help_text="区政府（政府网）自有的政务新媒体：各单位可向其提交发布申请，经区级审核后发布",
    )
