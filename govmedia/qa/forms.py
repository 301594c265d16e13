from django import forms

from govmedia.core.forms import Form
from govmedia.core.scope import org_subtree_q
from govmedia.orgs.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(Form):
    question = forms.CharField(label="标准问题", max_length=200)
    variants = forms.CharField(
        label="相似问法",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="群众常见的其他问法，每行一个，最多 20 个；用于匹配留言",
    )
    answer = forms.CharField(
        label="答复内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    basis = forms.CharField(
        label="政策依据",
        required=False,
        max_length=500,
        help_text="文件名称及文号，如《不动产登记暂行条例》（国务院令第656号）",
    )
    owner_org = forms.ModelChoiceField(
        label="责任单位",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="全区通用（区政府办公室）",
    )
    valid_from = forms.DateField(label="生效日期", required=False, widget=DATE)
    valid_to = forms.DateField(
        label="失效日期", required=False, widget=DATE, help_text="留空表示长期有效"
    )
    note = forms.CharField(label="修订说明", required=False, max_length=200)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].queryset = (
            Organization.objects.active().filter(org_subtree_q(user, "")).order_by("path")
        )
        if editing:  # the owner unit is set when the entry is created
            del self.fields["owner_org"]

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "question": data["question"],
            "variants": data["variants"],
            "answer": data["answer"],
            "basis": data["basis"],
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
        }


class ImportForm(Form):
    file = forms.FileField(
        label="交换文件",
        help_text="JSON 行格式（.jsonl，每行一个条目）或本页导出的 Excel（.xlsx）",
    )
