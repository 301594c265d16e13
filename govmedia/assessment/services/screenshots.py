"""Screenshots as evidence on a score sheet: a checker attaches them to an item while the sheet
is being scored (and removes a wrong one); whoever may see the sheet may download them.

The file is checked from its bytes (publishing.images: JPG, PNG or GIF, at most 2 MB, a picture
Pillow can read) after a bounded read (core.uploads), stored under our own name, and each upload
or removal is audited with the file's digest. The sheet's version is not bumped: a screenshot is
an attachment, so the checker's open page stays valid for the item results.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from govmedia.audit.services import audit_record
from govmedia.core.errors import ServiceError
from govmedia.core.scope import get_scoped
from govmedia.core.uploads import read_at_most
from govmedia.publishing.images import MAX_BYTES, check_image

from ..models import CheckState, ItemResult, ScoreSheet, Screenshot, SheetState

MAX_PER_ITEM = 10
MAX_LABEL = 200


def _scoring_sheet(actor, sheet_id) -> ScoreSheet:
    sheet = get_scoped(
        ScoreSheet.objects.select_for_update(of=("self",)).select_related("check_run", "account"),
        actor,
        sheet_id,
        "score",
    )
    if sheet.state != SheetState.SCORING or sheet.check_run.state != CheckState.SCORING:
        raise ServiceError("该评分表已提交或检查不在评分阶段，不能修改佐证", field="image")
    return sheet


@transaction.atomic
def screenshot_attach(*, actor, sheet_id, item_id, upload, label="") -> Screenshot:
    """Keep an uploaded screenshot with one item of a sheet assigned to the actor."""
    sheet = _scoring_sheet(actor, sheet_id)
    item = ItemResult.objects.filter(pk=item_id, sheet=sheet).select_related("indicator").first()
    if item is None:
        raise ServiceError("评分项不存在，请刷新页面", field="item", code="not_found")
    if upload is None:
        raise ServiceError("请选择要上传的“截图”", field="image")
    label = str(label or "").strip()
    if len(label) > MAX_LABEL:
        raise ServiceError(f"截图说明不超过{MAX_LABEL}字", field="label")
    if item.screenshots.count() >= MAX_PER_ITEM:
        raise ServiceError(f"每个评分项最多上传 {MAX_PER_ITEM} 张截图", field="image")
    name = str(getattr(upload, "name", "") or "")[-60:]
    data = read_at_most(upload, MAX_BYTES)
    if data is None:
        raise ServiceError(
            f"截图“{name}”超过 {MAX_BYTES // (1024 * 1024)} MB，请压缩后再上传", field="image"
        )
    image = check_image(name, data)
    digest = hashlib.sha256(data).hexdigest()
    shot = Screenshot(
        sheet=sheet,
        item=item,
        label=label,
        content_type=image.content_type,
        size=len(data),
        sha256=digest,
        width=image.width,
        height=image.height,
        uploaded_by=actor,
    )
    # Our own file name: the uploader's name never reaches the file system.
    shot.file.save(
        f"sheet{sheet.pk}-item{item.pk}-{digest[:16]}.{image.extension}",
        ContentFile(data),
        save=False,
    )
    shot.save()
    audit_record(
        actor=actor,
        action="assessment.screenshot_attach",
        obj=shot,
        org=sheet.org,
        object_repr=f"{sheet.account.name}：{item.indicator.wording}"[:200],
        after={
            "item": item.pk,
            "file": shot.file.name,
            "name": name,
            "size": shot.size,
            "sha256": digest,
            "label": label,
        },
    )
    return shot


@transaction.atomic
def screenshot_remove(*, actor, sheet_id, screenshot_id) -> None:
    """Remove a wrong screenshot while the sheet is scored; the file stays on disk and the audit
    log names it."""
    sheet = _scoring_sheet(actor, sheet_id)
    shot = (
        Screenshot.objects.filter(pk=screenshot_id, sheet=sheet)
        .select_related("item__indicator")
        .first()
    )
    if shot is None:
        raise ServiceError("截图不存在或已删除，请刷新页面", code="not_found")
    before = {
        "item": shot.item_id,
        "file": shot.file.name,
        "sha256": shot.sha256,
        "label": shot.label,
    }
    repr_text = f"{sheet.account.name}：{shot.item.indicator.wording}"[:200]
    shot.delete()
    audit_record(
        actor=actor,
        action="assessment.screenshot_remove",
        obj=sheet,
        org=sheet.org,
        object_repr=repr_text,
        before=before,
    )
