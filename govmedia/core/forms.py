"""Helpers for Django forms shared by the page views.

Every form of the project derives from `Form` (or `ModelForm`): an empty required field is
refused with a message naming the field ("请填写“姓名”"), never Django's anonymous "这个字段是必填项",
and the page shows every error at once under one summary ("表单中有 N 处需要修改",
templates/includes/form_summary.html). tests/core/test_forms.py walks every form class of govmedia
and checks both."""

from django import forms


def add_service_error(form, exc) -> None:
    """Show a ServiceError on the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def field_name(name: str, field: forms.Field) -> str:
    """The field as the page labels it (a hidden field has no label: its name)."""
    return str(field.label) if field.label else name


def required_message(name: str, field: forms.Field) -> str:
    """What an empty required field says: the field's name and what to do."""
    if isinstance(field.widget, forms.HiddenInput):
        # Never empty on a page the platform rendered: a stale page or a crafted request.
        return f"页面数据不完整（缺少 {name}），请刷新页面后重试"
    label = field_name(name, field)
    if isinstance(field, forms.FileField):
        return f"请选择要上传的“{label}”"
    if isinstance(field, forms.BooleanField):
        return f"请勾选“{label}”"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.MultipleChoiceField):
        return f"请选择“{label}”"
    return f"请填写“{label}”"


def error_count(form) -> int:
    """How many messages the form shows, on its fields and above it."""
    return sum(len(errors) for errors in form.errors.values())


class NamedErrorsMixin:
    """Required-field messages that name the field. Set when the form validates, so the fields a
    subclass adds or relabels in its __init__ are covered too; a message a form set itself is
    kept."""

    def full_clean(self):
        self.name_required_errors()
        super().full_clean()

    def name_required_errors(self) -> None:
        generic = forms.Field.default_error_messages["required"]
        for name, field in self.fields.items():
            if str(field.error_messages.get("required", "")) == str(generic):
                field.error_messages = {
                    **field.error_messages,
                    "required": required_message(name, field),
                }

    @property
    def error_count(self) -> int:
        return error_count(self)


class Form(NamedErrorsMixin, forms.Form):
    pass


class ModelForm(NamedErrorsMixin, forms.ModelForm):
    pass
