"""检查指标 pages: the list, one rubric with its items, Excel export and import, and the editor
item by item (the district office's tools: the rubric is data it keeps)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import Form, add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped
from govmedia.core.spreadsheets import ImportRejected, xlsx_download

from .. import rules, selectors
from ..models import Method, Part, Rubric
from ..services import indicators, rubrics
from .shared import context, require, version_of


@login_required
@require_GET
def rubric_list(request):
    user = request.user
    require(user, "assessment_rubric.change")
    page = paginate(request, selectors.rubrics(user))
    return render(request, "assessment/rubric_list.html", context(user, "rubrics", page=page))


@login_required
@require_GET
def rubric_detail(request, rubric_id):
    user = request.user
    require(user, "assessment_rubric.change")
    rubric = get_scoped(Rubric.objects.all(), user, rubric_id)
    return render(
        request,
        "assessment/rubric_detail.html",
        context(
            user,
            "rubrics",
            rubric=rubric,
            items=rubric.indicators.order_by("position"),
            rules=rules.RULES,
            editable=not rubric.frozen,
        ),
    )


@login_required
@require_GET
def rubric_export(request, rubric_id):
    user = request.user
    require(user, "assessment_rubric.change")
    rubric = get_scoped(Rubric.objects.all(), user, rubric_id)
    return xlsx_download(
        rubrics.rubric_workbook(rubric), f"检查指标-{rubric.year}-第{rubric.number}版.xlsx"
    )


class ImportForm(Form):
    name = forms.CharField(label="指标名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source_doc = forms.CharField(label="依据文号", max_length=200, required=False)
    bonus_cap = forms.DecimalField(label="加分部分上限", required=False, min_value=0, max_value=100)
    file = forms.FileField(label="Excel 文件", help_text="列：" + "、".join(rubrics.COLUMNS))


@login_required
@require_http_methods(["GET", "POST"])
def rubric_import(request):
    user = request.user
    require(user, "assessment_rubric.change")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rubric = rubrics.rubric_import(
                actor=user,
                upload=data["file"],
                name=data["name"],
                year=data["year"],
                source_doc=data["source_doc"],
                bonus_cap=data["bonus_cap"],
            )
        except ImportRejected as exc:
            errors = exc.errors
            add_service_error(form, exc)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已导入{rubric}")
            return redirect("assessment:rubric", rubric_id=rubric.pk)
    return render(
        request,
        "assessment/rubric_import.html",
        context(user, "rubrics", form=form, errors=errors, rules=rules.RULES),
    )


# --- The editor, item by item ------------------------------------------------------------------


def _rule_choices():
    return [("", "（人工评价不选）")] + [
        (code, f"{rule.label}（{rule.source}）")
        for code, rule in rules.RULES.items()
        if rule.available
    ]


class IndicatorForm(Form):
    part = forms.ChoiceField(
        label="部分",
        choices=Part.choices,
        help_text="单项否决：发现即不合格，不再计分；扣分：从100分起扣；加分：扣分部分高于80分才计入",
    )
    wording = forms.CharField(
        label="指标内容", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(
        label="每处分值",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="每发现一处扣（或加）的分数；单项否决项不填",
    )
    cap = forms.DecimalField(
        label="单项上限",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="本项最多扣（或加）的分数（扣完为止）；扣分、加分项须大于0",
    )
    method = forms.ChoiceField(label="评价方式", choices=Method.choices)
    rule = forms.ChoiceField(
        label="自动规则",
        required=False,
        choices=(),
        help_text="评价方式为自动时必选：按所选规则在监测时间点自动评价",
    )
    evidence = forms.CharField(
        label="所需佐证",
        max_length=500,
        required=False,
        help_text="检查人须留存的佐证，如截图、链接",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = _rule_choices()

    def clean(self):
        data = super().clean()
        if data.get("method") == Method.AUTOMATIC and not data.get("rule"):
            self.add_error("rule", "评价方式为自动时，请选择“自动规则”")
        return data


def _editable_rubric(request, rubric_id) -> Rubric | None:
    """The rubric, or None after telling the user that a frozen one is edited by a new
    version (no write route of a frozen rubric goes further)."""
    rubric = get_scoped(Rubric.objects.all(), request.user, rubric_id)
    if rubric.frozen:
        messages.error(request, "该检查指标已冻结，不能修改；请“制作新版本”后编辑新版本")
        return None
    return rubric


def _item_values(data) -> dict:
    return {
        "part": data["part"],
        "wording": data["wording"],
        "points": data["points"],
        "cap": data["cap"],
        "method": data["method"],
        "rule": data["rule"],
        "evidence": data["evidence"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def indicator_form(request, rubric_id, indicator_id=None):
    """Add an item (no indicator_id) or change one."""
    user = request.user
    require(user, "assessment_rubric.change")
    rubric = _editable_rubric(request, rubric_id)
    if rubric is None:
        return redirect("assessment:rubric", rubric_id=rubric_id)
    indicator = None
    if indicator_id is not None:
        indicator = rubric.indicators.filter(pk=indicator_id).first()
        if indicator is None:
            raise Http404
    initial = (
        {name: getattr(indicator, name) for name in indicators.ITEM_FIELDS} if indicator else {}
    )
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if indicator is None:
                indicators.indicator_add(
                    actor=user,
                    rubric_id=rubric.pk,
                    version=version_of(request),
                    **_item_values(form.cleaned_data),
                )
            else:
                indicators.indicator_edit(
                    actor=user,
                    rubric_id=rubric.pk,
                    indicator_id=indicator.pk,
                    version=version_of(request),
                    **_item_values(form.cleaned_data),
                )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "指标项已保存")
            return redirect("assessment:rubric", rubric_id=rubric.pk)
    return render(
        request,
        "assessment/indicator_form.html",
        context(user, "rubrics", rubric=rubric, indicator=indicator, form=form),
    )


@login_required
@require_POST
def indicator_action(request, rubric_id, indicator_id):
    """Move an item up or down, or delete it."""
    user = request.user
    require(user, "assessment_rubric.change")
    rubric = get_scoped(Rubric.objects.all(), user, rubric_id)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            indicators.indicator_move(
                actor=user,
                rubric_id=rubric.pk,
                indicator_id=indicator_id,
                version=version_of(request),
                direction=action,
            )
        elif action == "delete":
            indicators.indicator_delete(
                actor=user,
                rubric_id=rubric.pk,
                indicator_id=indicator_id,
                version=version_of(request),
            )
            messages.success(request, "指标项已删除")
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:rubric", rubric_id=rubric.pk)


@login_required
@require_POST
def rubric_new_version(request, rubric_id):
    user = request.user
    require(user, "assessment_rubric.change")
    rubric = get_scoped(Rubric.objects.all(), user, rubric_id)
    try:
        successor = indicators.rubric_new_version(
            actor=user, rubric_id=rubric.pk, version=version_of(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:rubric", rubric_id=rubric.pk)
    messages.success(request, f"已制作{successor}，可逐项编辑；已完成的检查仍按原版本计分")
    return redirect("assessment:rubric", rubric_id=successor.pk)
