from django import forms

from govmedia.core.forms import Form

from .engine import MAX_WORKDAYS, MIN_WORKDAYS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [("0", "放假（休息日）"), ("1", "调休上班（工作日）")]


class CalendarDayForm(Form):
    day = forms.DateField(label="日期", input_formats=["%Y-%m-%d"], widget=DATE_INPUT)
    is_workday = forms.TypedChoiceField(
        label="调整为",
        choices=KIND_CHOICES,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="名称", max_length=50, help_text="如：春节、国庆节、调休上班")
    source_notice = forms.CharField(
        label="依据文件",
        max_length=200,
        help_text="国务院办公厅关于该年部分节假日安排的通知文号，如：国办发明电〔2026〕X号",
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishYearForm(Form):
    source_notice = forms.CharField(
        label="依据文件",
        max_length=200,
        help_text="国务院办公厅关于该年部分节假日安排的通知文号",
    )


class DeadlineForm(Form):
    """The calculator: plain text fields, parsed by the same code as the API and the command."""

    start = forms.CharField(
        label="事件日期",
        required=False,
        max_length=20,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="当日不计入",
    )
    days = forms.CharField(
        label="工作日天数",
        required=False,
        max_length=6,
        widget=forms.NumberInput(attrs={"min": MIN_WORKDAYS, "max": MAX_WORKDAYS}),
        help_text=f"{MIN_WORKDAYS}–{MAX_WORKDAYS}",
    )
