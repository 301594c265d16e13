from django import forms
from django.conf import settings

from govmedia.core.forms import Form
from govmedia.core.roles import ASSIGNABLE_BY, Role
from govmedia.orgs.forms import OrgChoiceField, active_orgs_in_scope


class LoginForm(Form):
    username = forms.CharField(label="用户名", max_length=50)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=256)


class PasswordChangeForm(Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput, max_length=256)
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput,
        max_length=256,
        help_text=(
            "至少 10 个字符，包含大写字母、小写字母、数字、符号中的至少三类，不得包含用户名，"
            "不得为常见密码，且不得与最近 5 次使用过的密码相同"
        ),
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput, max_length=256
    )


class TotpCodeForm(Form):
    code = forms.CharField(
        label="动态验证码",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="身份验证器应用中显示的 6 位数字",
    )


# The roles from the fewest rights to the most: a new user is offered the first one the actor may
# assign (issue 14 item 7), so nobody is made an administrator by not touching the list.
LEAST_PRIVILEGED_FIRST = (
    Role.EDITOR,
    Role.REVIEWER,
    Role.OVERSIGHT,
    Role.UNIT_ADMIN,
    Role.SUPERVISOR_REVIEWER,
    Role.PLATFORM_ADMIN,
)


class UserForm(Form):
    username = forms.CharField(
        label="用户名", max_length=50, help_text="字母、数字、下划线、点或短横线，3–50 个字符"
    )
    name = forms.CharField(label="姓名", max_length=50)
    org = OrgChoiceField(label="所属单位", queryset=None)
    role = forms.ChoiceField(label="角色")
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = active_orgs_in_scope(actor)
        assignable = ASSIGNABLE_BY.get(actor.role, frozenset())
        roles = [r for r in LEAST_PRIVILEGED_FIRST if r in assignable]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        if roles and not editing:
            self.fields["role"].initial = roles[0].value  # a new user starts with the least
        if editing:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]


class TokenForm(Form):
    name = forms.CharField(label="用途", max_length=50, help_text="如：与政府网站集约化平台对接")
    expires_days = forms.IntegerField(label="有效天数", required=False, min_value=1)
    totp_code = forms.CharField(
        label="动态验证码",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="已启用双因素认证的用户创建令牌前须再次输入身份验证器中的 6 位数字",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The service checks the maximum (its message names the setting's value).
        field = self.fields["expires_days"]
        field.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        field.help_text = (
            f"留空为 {min(settings.API_TOKEN_DEFAULT_DAYS, settings.API_TOKEN_MAX_DAYS)} 天，"
            f"最长 {settings.API_TOKEN_MAX_DAYS} 天；到期前可随时吊销"
        )
        if not user.totp_enabled:
            del self.fields["totp_code"]
