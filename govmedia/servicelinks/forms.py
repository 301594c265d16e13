from django import forms

from govmedia.core.forms import Form
from govmedia.registry.models import MediaAccount

from .models import LinkKind


class LinkForm(Form):
    account = forms.ModelChoiceField(label="政务新媒体", queryset=MediaAccount.objects.none())
    kind = forms.ChoiceField(label="入口类型", choices=LinkKind.choices)
    name = forms.CharField(label="入口名称", max_length=100, help_text="菜单或服务事项的名称")
    url = forms.CharField(
        label="链接地址",
        max_length=1000,
        help_text="http(s) 网址；小程序可填其 URL Link，无网址的填小程序路径（不自动检查）",
    )
    service_name = forms.CharField(
        label="爱山东服务事项",
        max_length=100,
        required=False,
        help_text="入口类型为“爱山东服务事项”时必填，如：社保待遇资格认证",
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["account"]
        else:
            self.fields["account"].queryset = (
                MediaAccount.objects.restrict(user).select_related("platform").order_by("name")
            )
