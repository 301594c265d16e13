"""检查指标 pages: the list, one rubric with its items, Excel export and import (the district
office's tools: the rubric is data it keeps)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from govmedia.core.errors import ServiceError
from govmedia.core.forms import Form, add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped
from govmedia.core.spreadsheets import ImportRejected, xlsx_download

from .. import rules, selectors
from ..models import Rubric
from ..services import rubrics
from .shared import context, require


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
