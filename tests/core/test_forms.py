"""Issue 14 item 7: every form of the project, submitted empty and with bad values, shows all
its errors at once: one message per wrong field, required-field messages that name the field,
and the summary "表单中有 N 处需要修改" above them.

The forms are found by walking every module of govmedia, so a form another app adds later is
checked too; a form whose constructor takes a keyword this test cannot supply fails here (add it
to `constructor_values`)."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.template.loader import render_to_string

import govmedia
from govmedia.core.forms import NamedErrorsMixin
from govmedia.core.roles import Role
from govmedia.registry.models import FilingKind
from govmedia.users.forms import LEAST_PRIVILEGED_FIRST, UserForm
from govmedia.users.models import User

SKIPPED_PACKAGES = (".migrations", ".management", ".platforms.fakes")


def project_forms() -> list[type[forms.BaseForm]]:
    found = {}
    for module_info in pkgutil.walk_packages(govmedia.__path__, "govmedia."):
        if any(part in module_info.name for part in SKIPPED_PACKAGES):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__.startswith("govmedia.")
                and cls.__module__ != "govmedia.core.forms"
            ):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


FORMS = project_forms()


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORMS}
    assert {"UserForm", "FilingForm", "ReportForm", "IssueForm", "LexiconTermForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_names_its_fields_in_required_messages(form_class):
    assert issubclass(form_class, NamedErrorsMixin), (
        f"{form_class.__name__} should derive from govmedia.core.forms.Form"
    )


def constructor_values(world) -> dict:
    """A value for every keyword a form's constructor may require, by the keyword's name."""
    return {
        "user": world.alice,
        "actor": world.alice,
        "editing": False,
        "fields_set": (),
        "masked_phone": "",
        "warnings": (),
        "candidates": User.objects.all(),
        "article": None,
        "flow": None,
        "kind": FilingKind.OPEN.value,
        "complete": True,
    }


def build(form_class, world, data):
    values = constructor_values(world)
    kwargs = {}
    for cls in form_class.__mro__:
        init = cls.__dict__.get("__init__")
        if init is None:
            continue
        for name, param in inspect.signature(init).parameters.items():
            if param.kind is not param.KEYWORD_ONLY or name in kwargs:
                continue
            if param.default is param.empty or name in values:
                assert name in values, f"{form_class.__name__}: no value for keyword {name!r}"
                kwargs[name] = values[name]
    return form_class(data=data, files={}, **kwargs)


def bad_value(field: forms.Field):
    """A value the field itself refuses, and why; None when no rule of the field is known."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ["999999999"]
    if isinstance(field, forms.ModelChoiceField):
        return "999999999"
    if isinstance(field, forms.MultipleChoiceField):
        return ["没有这个选项"]
    if isinstance(field, forms.ChoiceField):
        return "没有这个选项"
    if isinstance(field, forms.EmailField):
        return "不是邮箱"
    if isinstance(field, forms.URLField):
        return "不是 网址"
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return "十二"
    if isinstance(field, forms.DateTimeField):
        return "明天下午"
    if isinstance(field, forms.DateField):
        return "2026-02-30"
    if isinstance(field, forms.CharField) and field.max_length:
        return "长" * (field.max_length + 1)
    return None


def shows_every_error(form) -> str:
    page = render_to_string("includes/form.html", {"form": form})
    assert f"表单中有 {form.error_count} 处需要修改" in page
    unescaped = page.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    for errors in form.errors.values():
        for message in errors:
            assert message.replace("&", "&") in unescaped, message
    return page


def label_core(name: str, field: forms.Field) -> str:
    """The label without its explanation: "主办单位（备案单位）" → "主办单位",
    "验证问题：3 加 2 等于几？" → "验证问题"."""
    label = re.sub(r"[（(].*?[）)]", "", str(field.label or name)).split("：")[0]
    return label.strip("*＊ ")


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_empty_form_shows_every_missing_field_at_once(world, form_class):
    form = build(form_class, world, {})
    required = {
        name: field
        for name, field in form.fields.items()
        if field.required and not field.disabled and field.initial in (None, "")
    }
    form.is_valid()
    for name, field in required.items():
        assert name in form.errors, f"{name} is required but has no error"
        if isinstance(field.widget, forms.HiddenInput):
            assert name in " ".join(form.errors[name])
        else:
            assert label_core(name, field) in " ".join(form.errors[name]), form.errors[name]
    if form.errors:
        shows_every_error(form)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_bad_values_are_all_refused_at_once(world, form_class):
    probe = build(form_class, world, {})
    data, expected = {}, set()
    for name, field in probe.fields.items():
        value = bad_value(field)
        if value is None or field.disabled:
            continue
        expected.add(name)
        data[name] = value
    form = build(form_class, world, data)
    form.is_valid()
    assert expected <= set(form.errors), f"no error for {sorted(expected - set(form.errors))}"
    if form.errors:
        shows_every_error(form)


def test_new_user_role_defaults_to_least_privileged(world):
    assert set(LEAST_PRIVILEGED_FIRST) == set(Role)
    assert UserForm(actor=world.alice)["role"].initial == Role.EDITOR
    assert UserForm(actor=world.tian_unit_admin)["role"].initial == Role.EDITOR
    page = logged_in_client_page(world)
    assert re.search(r'<option value="editor"[^>]*selected', page)


def logged_in_client_page(world) -> str:
    from tests.conftest import logged_in_client

    response = logged_in_client(world.alice).get("/users/new/")
    assert response.status_code == 200
    return response.content.decode()
