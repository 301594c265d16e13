"""Forms of the counterfeit pages: the report (staff and public), the transitions, the import."""

import secrets

from django import forms
from django.core import signing
from django.utils import timezone

from govmedia.core.forms import Form
from govmedia.registry.models import AccountStatus, MediaAccount, Platform

VERIFIED_CHOICES = [("", "不清楚"), ("1", "已认证"), ("0", "未认证")]
CHALLENGE_SALT = "govmedia.counterfeit.public-report"
CHALLENGE_MAX_AGE = 3600


def parse_verified(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class ReportForm(Form):
    platform = forms.ModelChoiceField(
        label="平台",
        queryset=Platform.objects.none(),
        empty_label="请选择平台",
        error_messages={"required": "请选择平台", "invalid_choice": "请从列表中选择平台"},
    )
    display_name = forms.CharField(
        label="账号名称",
        max_length=100,
        help_text="平台上显示的名称，如“定淘发布”",
        error_messages={"required": "请填写账号名称"},
    )
    handle = forms.CharField(
        label="账号（ID）",
        max_length=100,
        required=False,
        help_text="微信号、微博 UID、抖音号等；不清楚可不填",
    )
    verified = forms.ChoiceField(label="平台认证", choices=VERIFIED_CHOICES, required=False)
    verified_reason = forms.CharField(
        label="认证主体",
        max_length=200,
        required=False,
        help_text="账号主页显示的认证信息，如“某某文化传媒有限公司”",
    )
    description = forms.CharField(
        label="情况说明",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="冒用了哪个单位的名义、在哪里看到、发布了什么",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = Platform.objects.filter(is_active=True)


class PublicReportForm(ReportForm):
    """The citizen's report: no login, so a simple sum and a field no person fills stand in for
    a captcha (no external service on a government intranet)."""

    contact = forms.CharField(
        label="您的联系方式（选填）",
        max_length=100,
        required=False,
        help_text="需要回复时请留下电话或邮箱；仅供工作人员联系您，不会公开",
    )
    answer = forms.IntegerField(
        label="验证问题",
        error_messages={"required": "请回答验证问题", "invalid": "请填写数字"},
    )
    challenge = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        label="网址（请勿填写）",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = [
        "platform",
        "display_name",
        "handle",
        "verified",
        "verified_reason",
        "description",
        "contact",
        "answer",
        "challenge",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.new_challenge()
        elif self.data.get("challenge"):
            self.fields["answer"].label = f"验证问题：{_question(self.data['challenge'])}"

    def new_challenge(self) -> None:
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        token = signing.dumps({"a": a, "b": b}, salt=CHALLENGE_SALT)
        self.initial["challenge"] = token
        self.fields["answer"].label = f"验证问题：{a} 加 {b} 等于几？"

    @property
    def is_bot(self) -> bool:
        """The hidden field was filled in: a script, not a person."""
        return bool((self.data.get("website") or "").strip())

    def clean(self):
        data = super().clean()
        try:
            numbers = signing.loads(
                data.get("challenge") or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE
            )
        except signing.BadSignature:
            self.add_error("answer", "验证问题已过期，请回答新的问题")
            self._renew()
            return data
        if data.get("answer") is not None and data["answer"] != numbers["a"] + numbers["b"]:
            self.add_error("answer", "验证问题回答不正确，请重新计算")
            self._renew()
        return data

    def _renew(self) -> None:
        # A wrong or stale answer gets a fresh question; everything else typed is kept.
        self.data = self.data.copy()
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        self.data["challenge"] = signing.dumps({"a": a, "b": b}, salt=CHALLENGE_SALT)
        self.data["answer"] = ""
        self.fields["answer"].label = f"验证问题：{a} 加 {b} 等于几？"


def _question(token: str) -> str:
    try:
        numbers = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return "请重新计算"
    return f"{numbers['a']} 加 {numbers['b']} 等于几？"


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(VersionForm):
    note = forms.CharField(
        label="核实意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：已在平台查看，该账号冒用“天中发布”名称与头像发布信息",
        error_messages={"required": "请填写核实意见"},
    )
    handle = forms.CharField(
        label="账号（ID）",
        max_length=100,
        required=False,
        help_text="该账号在平台上的账号；关停函须写明，确认关停时据此向平台核查",
    )
    matched_account = forms.ModelChoiceField(
        label="被假冒的政务新媒体",
        queryset=MediaAccount.objects.none(),
        required=False,
        empty_label="（不改变）",
        help_text="评分自动匹配的账号不对时在此更正",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matched_account"].queryset = (
            MediaAccount.objects.exclude(status=AccountStatus.CANCELLED)
            .select_related("platform", "host_org")
            .order_by("host_org__path", "name")
        )
        self.fields["matched_account"].label_from_instance = lambda a: (
            f"{a.name}（{a.platform.name}，{a.host_org.name}）"
        )


class CacForm(VersionForm):
    reported_on = forms.DateField(
        label="通报日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写通报日期", "invalid": "日期格式应为 2026-03-02"},
    )
    recipient = forms.CharField(label="通报对象", max_length=100, initial="区委网信办")
    note = forms.CharField(
        label="通报说明",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如通报文号、方式",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label="理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写理由"},
    )


class ImportForm(Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="请使用导入模板填写；不超过 10 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 Excel 文件", "empty": "文件为空"},
    )
