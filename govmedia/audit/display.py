"""The audit log as a person reads it: objects by their Chinese type and current label
("备案 定陶新媒备〔2026〕第027号", "用户 周卫健"), and a before/after comparison per field with the
field's Chinese label (the model's verbose_name) and values in words (choices by their label,
related rows by their name, 是/否).

An event stores its object by `_meta.label_lower` and primary key (audit_record); the label is
looked up now, once per page and type, so an approved filing shows its 备案号 on its earlier
events too. A deleted object keeps the text stored with the event. A model may define
`audit_label()` for a better name than str()."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# Keys services record that are not fields of the object's model.
EXTRA_LABELS = {
    "reason": "理由",
    "note": "说明",
    "state": "状态",
    "source": "来源",
    "count": "数量",
    "rows": "行数",
    "created": "新增",
    "changed": "修改",
    "merged": "并入",
    "revoked": "吊销",
    "size": "大小",
    "file": "文件",
    "image": "图片",
    "field": "字段",
    "label": "名称",
    "reviewers": "审核人",
    "grants": "可查看该稿件的审核人",
    "key_id": "密钥编号",
    "key_ids": "密钥编号",
    "reencrypted": "重新加密",
    "hint": "提示",
    "address": "地址",
    "run": "审核记录",
    "post": "已发布内容",
    "matched": "匹配",
    "cancelled_publications": "取消的发布",
    "cancel_reason": "取消理由",
    "report_count": "举报次数",
    "user": "用户",
    "account": "政务新媒体",
    "org": "单位",
    "version": "版本号",
    "outcome": "结果",
    "decision": "审核意见",
    "comment": "意见",
    "title": "标题",
    "name": "名称",
    "role": "角色",
    "is_active": "启用",
    "filing_no": "备案号",
    "due_on": "期限",
    "next_due_at": "下次期限",
}
EMPTY = "—"
# Object types that are no model: what a bulk event is about.
TYPE_LABELS = {
    "credentials.keyring": "凭据加密密钥",
    "counterfeit.import": "假冒账号线索导入",
    "registry.import": "政务新媒体导入",
}


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    if object_type in TYPE_LABELS:
        return TYPE_LABELS[object_type]
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type or EMPTY


def label_of(obj: models.Model) -> str:
    custom = getattr(obj, "audit_label", None)
    return str(custom() if callable(custom) else obj)


def current_labels(events) -> dict[tuple[str, str], str]:
    """(object_type, object_id) → the object's label now, for the objects that still exist."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    labels = {}
    for object_type, ids in wanted.items():
        model = model_of(object_type)
        if model is None:
            continue
        pks = [pk for pk in ids if _valid_pk(model, pk)]
        for obj in model._base_manager.filter(pk__in=pks):
            labels[(object_type, str(obj.pk))] = label_of(obj)
    return labels


def _valid_pk(model, value: str) -> bool:
    try:
        model._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 - any value the key cannot hold is simply not looked up
        return False
    return True


def object_label(event, labels: dict) -> str:
    """ "备案 定陶新媒备〔2026〕第027号": the type in Chinese and the object's label."""
    name = labels.get((event.object_type, event.object_id)) or event.object_repr
    return f"{type_label(event.object_type)} {name}".strip()


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    changed: bool


def field_label(model, key: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            pass
        else:
            name = getattr(field, "verbose_name", None)
            if name and str(name) != key.replace("_", " "):
                return str(name)
    return EXTRA_LABELS.get(key, key)


def value_text(model, key: str, value) -> str:
    """A stored value in words: a choice by its label, a related row by its name."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    field = None
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and field.related_model is not None:
        return _related_text(field.related_model, value)
    if isinstance(value, list):
        return "、".join(value_text(None, key, item) for item in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(
            f"{EXTRA_LABELS.get(k, k)}：{value_text(None, k, v)}" for k, v in value.items()
        )
    return str(value)


def _related_text(related_model, value) -> str:
    pks = value if isinstance(value, list) else [value]
    found = {
        str(obj.pk): label_of(obj)
        for obj in related_model._base_manager.filter(pk__in=[p for p in pks if p is not None])
    }
    return "、".join(found.get(str(pk), f"#{pk}") for pk in pks) or EMPTY


def changes(event) -> list[Change]:
    """Every field the event recorded, before and after side by side, changed ones marked."""
    model = model_of(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        old = value_text(model, key, before.get(key)) if key in before else EMPTY
        new = value_text(model, key, after.get(key)) if key in after else EMPTY
        changed = before.get(key) != after.get(key) or (key in before) != (key in after)
        rows.append(Change(field_label(model, key), old, new, changed))
    return rows


def changed_labels(event) -> list[str]:
    """The labels of the fields the event changed, for the one-line summary of a list (no
    values, so no lookups)."""
    model = model_of(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = dict.fromkeys([*before, *after])
    return [
        field_label(model, key)
        for key in keys
        if before.get(key) != after.get(key) or (key in before) != (key in after)
    ]
