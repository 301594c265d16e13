"""The forms of 留言互动: entering a message by hand, importing, and the help text citing the
notice."""

from django import forms

from govmedia.core.forms import Form
from govmedia.core.idempotency import add_form_key

from .models import ENTERED_SOURCES, Source

BASIS = "依据：通知第三部分（二）"
BASIS_TEXT = "群众需求迅速捕捉、疑问疑惑限时解答、改进措施及时跟进"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MessageForm(Form):
    source = forms.ChoiceField(
        label="来源", choices=[(s, Source(s).label) for s in ENTERED_SOURCES]
    )
    account_id = forms.TypedChoiceField(
        label="政务新媒体",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="留言发给哪个账号（私信）；12345 转办、来信可不选",
    )
    org_id = forms.TypedChoiceField(label="承办单位", coerce=int, required=False, empty_value=None)
    author_name = forms.CharField(label="留言人", max_length=100, required=False)
    author_contact = forms.CharField(label="联系方式", max_length=100, required=False)
    reference = forms.CharField(label="来件编号", max_length=60, required=False)
    received_at = forms.DateTimeField(
        label="收到时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="答复期限自收到时间起按工作日计算",
    )
    text = forms.CharField(
        label="留言内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = forms.FileField(
        label="附件",
        required=False,
        widget=MultipleFileInput,
        help_text="来信扫描件、12345 工单等，最多 5 个，每个不超过 10 MB",
    )

    def __init__(self, *args, accounts=(), orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_id"].choices = [("", "（不选）")] + [(a.pk, a.name) for a in accounts]
        self.fields["org_id"].choices = [(o.pk, o.name) for o in orgs]
        add_form_key(self)


class ImportForm(Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="工作表“留言”，列：来源、政务新媒体、留言人、联系方式、来件编号、收到时间、留言内容",
    )
