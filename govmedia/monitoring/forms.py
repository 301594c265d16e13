from django import forms

from govmedia.core.forms import Form


class ResolveForm(Form):
    note = forms.CharField(
        label="整改说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说明已采取的措施，如已删除或更正该内容（依据：通知第四部分（三）“及时处理”）",
        error_messages={"required": "请填写整改说明", "max_length": "整改说明不得超过 2000 个字符"},
    )
    proof_url = forms.CharField(
        label="整改证明链接",
        max_length=1000,
        required=False,
        help_text="更正后的内容地址或整改截图地址（以 http:// 或 https:// 开头，可不填）",
        error_messages={"max_length": "整改证明链接不得超过 1000 个字符"},
    )


class ReopenForm(Form):
    reason = forms.CharField(
        label="重新整改理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说明整改为何未达到要求，单位将收到通知并获得新的整改期限",
        error_messages={
            "required": "请填写重新整改理由",
            "max_length": "重新整改理由不得超过 2000 个字符",
        },
    )


class ScreenshotForm(Form):
    screenshot_url = forms.CharField(
        label="截图链接",
        max_length=1000,
        required=False,
        help_text="存证截图的地址（以 http:// 或 https:// 开头）；留空即清除",
        error_messages={"max_length": "截图链接不得超过 1000 个字符"},
    )
