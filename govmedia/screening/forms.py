from django import forms

from govmedia.core.forms import Form
from govmedia.core.scope import sees_whole_district

from .models import CATEGORY_CHOICES, CONTEXT_CHOICES, SEVERITY_CHOICES
from .uploads import MAX_UPLOAD_BYTES, SUPPORTED

BASIS = "依据：通知第四部分（一）“严把信息发布内容关口”"


class CheckForm(Form):
    # strip=False: findings carry offsets into exactly the text that was sent.
    text = forms.CharField(label="待审查文本", required=False, strip=False, widget=forms.Textarea)
    html = forms.BooleanField(label="按 HTML 解析", required=False)
    upload = forms.FileField(
        label="或上传文件",
        required=False,
        help_text=f"支持 {SUPPORTED}，不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB；上传的文件优先于文本框",
    )


class LexiconTermForm(Form):
    term = forms.CharField(
        label="词条",
        max_length=100,
        help_text="比对时忽略繁简、全半角、大小写及夹杂的标点空格（如“台*湾”）",
    )
    whitelist = forms.BooleanField(
        label="白名单",
        required=False,
        help_text="白名单词条不报错，而是豁免它所覆盖的同类别词条（如“打击赌博”豁免“赌博”）",
    )
    category = forms.ChoiceField(
        label="类别",
        choices=[("", "— 请选择 —"), *CATEGORY_CHOICES],
        required=False,
        help_text="白名单词条可不选类别，表示对全部类别生效",
    )
    severity = forms.ChoiceField(
        label="处理级别",
        choices=[("", "— 请选择 —"), *SEVERITY_CHOICES],
        required=False,
        help_text="禁止发布：须修改后才能发布；提醒核实：由审核人确认",
    )
    context = forms.ChoiceField(
        label="语境要求",
        choices=CONTEXT_CHOICES,
        required=False,
        help_text="“仅商业语境”用于《广告法》第九条极限词：只在价格、购买等商业用语附近才报出",
    )
    suggestion = forms.CharField(label="建议改为", max_length=200, required=False)
    basis = forms.CharField(
        label="依据", max_length=300, required=False, help_text="如法规条款、规范名称或通知段落"
    )
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_whole_district(user):
            # A unit's own terms add to the district's lexicon; they never exempt from it.
            del self.fields["whitelist"]


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(Form):
    file = forms.FileField(
        label="词库表格（.xlsx）",
        help_text="表头：词条、类别、处理级别、建议改为、依据、说明、白名单、语境要求、状态；"
        "可先“导出”再修改。任何一行有误则整个文件不导入。",
    )
