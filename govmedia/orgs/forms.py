from django import forms

from govmedia.core.forms import Form
from govmedia.core.scope import may, org_subtree_q

from .models import Organization, OrgStatus, OrgType


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * obj.depth + obj.name


def active_orgs_in_scope(user):
    return Organization.objects.filter(org_subtree_q(user, ""), status=OrgStatus.ACTIVE).order_by(
        "path"
    )


class OrganizationForm(Form):
    name = forms.CharField(label="单位名称", max_length=100)
    org_type = forms.ChoiceField(label="单位类型", choices=OrgType.choices)
    parent = OrgChoiceField(label="上级单位", queryset=Organization.objects.none(), required=False)
    supervisor = OrgChoiceField(
        label="主管单位",
        queryset=Organization.objects.none(),
        required=False,
        help_text="备案表“主管单位签章”栏的单位；由区政府办公室直接管理的留空",
    )
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        required=False,
        help_text="18 位，按 GB 32100-2015 校验",
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(
        label="联系电话", max_length=30, required=False, help_text="如 0530-2212021"
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(
        label="排序",
        required=False,
        min_value=0,
        max_value=9999,
        initial=0,
        help_text="单位树中同一上级下同类单位的先后（镇、街道在前，部门在后），数字小的在前",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scoped = active_orgs_in_scope(user)
        self.fields["parent"].queryset = scoped
        self.fields["supervisor"].queryset = Organization.objects.filter(
            status=OrgStatus.ACTIVE
        ).order_by("path")
        if not may(user, "orgs.oversight"):
            # Shown, not chosen: the district office decides who oversees a unit. Only the unit's
            # own supervisor is listed, so the field does not spell out the district's whole tree.
            field = self.fields["supervisor"]
            field.disabled = True
            current = self.initial.get("supervisor")
            field.queryset = field.queryset.filter(pk=getattr(current, "pk", current))
            field.help_text = "由区政府办公室确定，单位不能自行选择；如需变更，请联系区政府办公室"


class RestructureForm(Form):
    reason = forms.CharField(label="依据", max_length=200, help_text="如机构改革文件文号")
    effective_on = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))


class MergeForm(RestructureForm):
    target = OrgChoiceField(label="整合至", queryset=Organization.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Organization.objects.filter(
            status=OrgStatus.ACTIVE
        ).order_by("path")
        self.order_fields(["target", "reason", "effective_on"])
