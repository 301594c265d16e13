"""Forms of 账号密码保护. Secret inputs never render a value back: a stored secret leaves the
server only through a reveal, and a secret typed into a refused form must be typed again."""

from django import forms

from govmedia.core.forms import Form

from .models import CREDENTIAL_SECRETS, SECRET_LABELS
from .services import REASON_REQUIRED

KEEP_HELP = "已保存；留空则保持原值，填写则替换"
EMPTY_HELP = "未保存"


def secret_field(label: str) -> forms.CharField:
    # "new-password": browsers ignore autocomplete="off" on password inputs and would fill in
    # the user's own saved login password; this keeps them from filling or offering to save.
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password", "spellcheck": "false"}
        ),
    )


class CredentialForm(Form):
    app_id = forms.CharField(
        label="AppID（应用编号）",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="微信公众号在公众平台“设置与开发 › 基本配置”中查看；AppID 不是密钥，明文保存",
    )
    app_secret = secret_field("AppSecret（应用密钥）")
    access_token = secret_field("Access Token（访问令牌）")
    refresh_token = secret_field("Refresh Token（刷新令牌）")
    extra = forms.CharField(
        label="其他平台参数",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false", "class": "code"}
        ),
        help_text="每行一项，格式为“参数名=值”，如 open_id=…、uid=…；填写则整体替换",
    )
    clear = forms.MultipleChoiceField(
        label="清除已保存的项目",
        required=False,
        choices=CREDENTIAL_SECRETS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "options"}),
        help_text="如平台已作废该密钥或令牌",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, fields_set=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, _ in CREDENTIAL_SECRETS:
            field = self.fields[name]
            state = KEEP_HELP if name in fields_set else EMPTY_HELP
            field.help_text = f"{state}。{field.help_text}" if field.help_text else state
        self.fields["clear"].choices = [c for c in CREDENTIAL_SECRETS if c[0] in fields_set]
        if not fields_set:
            del self.fields["clear"]

    def clean_extra(self) -> dict[str, str]:
        """Lines of key=value; the service checks the names and the size."""
        extra = {}
        for number, line in enumerate(self.cleaned_data["extra"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise forms.ValidationError(f"第 {number} 行应为“参数名=值”格式")
            if key.strip() in extra:
                raise forms.ValidationError(f"第 {number} 行的参数名“{key.strip()}”重复")
            extra[key.strip()] = value.strip()
        return extra


class CustodyForm(Form):
    administrator = forms.CharField(
        label="管理员",
        max_length=30,
        help_text="平台上登记的账号管理员（如公众号管理员、微博账号管理员）",
    )
    bound_phone = forms.CharField(
        label="绑定手机号",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    clear_bound_phone = forms.BooleanField(label="清除已保存的绑定手机号", required=False)
    password_holder = forms.CharField(
        label="密码保管人", max_length=30, required=False, help_text="掌握登录密码的工作人员"
    )
    password_changed_on = forms.DateField(
        label="最近修改密码日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="超过规定天数未修改时，平台提醒本单位修改密码",
    )
    note = forms.CharField(
        label="备注", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, masked_phone="", **kwargs):
        super().__init__(*args, **kwargs)
        if masked_phone:
            self.fields[
                "bound_phone"
            ].help_text = (
                f"已保存：{masked_phone}（个人信息，加密保存）；留空则保持原值，填写则替换"
            )
        else:
            self.fields["bound_phone"].help_text = "个人信息，加密保存，页面上只显示部分号码"
            del self.fields["clear_bound_phone"]


class RevealForm(Form):
    field = forms.ChoiceField(
        label="查看项目", widget=forms.RadioSelect(attrs={"class": "options"})
    )
    reason = forms.CharField(
        label="查看理由",
        max_length=200,
        error_messages={"required": REASON_REQUIRED},  # the service checks the length
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="查看将记入审计日志并在本页留下记录，请写明用途（至少 4 个字），"
        "如“公众号后台更换服务器配置”",
    )

    def __init__(self, *args, fields_set=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(name, SECRET_LABELS[name]) for name in fields_set]
