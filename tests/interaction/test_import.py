"""Importing messages from Excel: all rows or none, every error listed with its row."""

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from govmedia.core.spreadsheets import ImportRejected
from govmedia.interaction import services
from govmedia.interaction.models import Message
from govmedia.interaction.services.messages import IMPORT_COLUMNS


def workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "留言"
    sheet.append(IMPORT_COLUMNS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "留言.xlsx"
    return data


def test_import_all_or_nothing(world):
    good = ("来信", "", "张先生", "138", "", datetime(2026, 11, 20, 9, 0), "路灯不亮")
    bad = ("微信", "", "李女士", "", "", "昨天", "噪音扰民")
    with pytest.raises(ImportRejected) as rejected:
        services.message_import(actor=world.tian_editor, upload=workbook([good, bad]))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "来源")]
    assert Message.objects.count() == 0
    made = services.message_import(
        actor=world.tian_editor, upload=workbook([good, ("12345转办",) + good[1:]])
    )
    assert len(made) == 2 and {m.source for m in made} == {"letter", "hotline"}
    assert all(m.org == world.tian for m in made)
