from django import forms

from govmedia.core.forms import Form


class ExceptionForm(Form):
    reason = forms.CharField(
        label="例外理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说明特殊工作需要的具体情况及批准依据（依据：通知第二部分（一）“除特殊工作需要外”）",
        error_messages={"required": "请填写例外理由", "max_length": "例外理由不得超过 1000 个字符"},
    )
