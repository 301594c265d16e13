"""The text of an uploaded file (.txt or .docx), or a Chinese message saying why there is none.

Uploads are hostile until proven otherwise: a .txt in an unknown encoding, a .docx that is
no zip, or a zip bomb (a few KB that inflate to gigabytes), which core.uploads.check_zip judges
from the zip's central directory before anything is inflated. python-docx parses the XML with
entity resolution off.
"""

import logging
from io import BytesIO
from pathlib import PurePath

from govmedia.core.errors import ServiceError
from govmedia.core.uploads import check_zip, read_at_most

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SUPPORTED = ".txt、.docx"

FIELD = "upload"

logger = logging.getLogger(__name__)


def text_from_upload(upload) -> str:
    """The text of a Django UploadedFile (or anything with .name, .size and .read())."""
    name = getattr(upload, "name", "") or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in (".txt", ".docx"):
        shown = f"“{suffix}”文件" if suffix else "没有扩展名的文件"
        raise ServiceError(f"不支持{shown}，请上传 {SUPPORTED} 文件", field=FIELD)
    data = read_at_most(upload, MAX_UPLOAD_BYTES)
    if data is None:
        raise _too_large()
    if not data:
        raise ServiceError("上传的文件是空的", field=FIELD)
    return decode_text(data) if suffix == ".txt" else docx_text(data)


def _too_large() -> ServiceError:
    return ServiceError(
        f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请分段上传",
        field=FIELD,
        code="too_large",
    )


# --- .txt --------------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),  # Windows 记事本 "Unicode"
    (b"\xfe\xff", "utf-16"),
)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (which covers GBK/GB2312,
    what older Windows editors save Chinese text as); anything else is refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(data, (encoding,))
    return _decoded(data, ("utf-8", "gb18030"))


def _decoded(data: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # NUL is no character of any text file: this is binary data named .txt.
        if "\x00" in text:
            break
        return text
    raise ServiceError("文件编码无法识别：请将文件另存为 UTF-8 编码的 .txt 后重新上传", field=FIELD)


# --- .docx -------------------------------------------------------------------------------------

NOT_DOCX = "文件不是有效的 .docx 文档（旧版 .doc 请在 Word 中另存为 .docx）"


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells (nested tables too) in document order, one per line."""
    check_zip(data, required="word/document.xml", not_valid=NOT_DOCX, field=FIELD)
    import docx

    try:
        document = docx.Document(BytesIO(data))
        lines = list(_block_lines(document.element.body, document))
    except Exception:
        # A hostile or damaged package fails in python-docx or lxml in many ways (missing parts,
        # bad XML, a root that is no w:document); to the user all of them mean "no .docx".
        logger.info("unreadable .docx upload", exc_info=True)
        raise ServiceError(NOT_DOCX, field=FIELD) from None
    return "\n".join(lines)


def _block_lines(container, document):
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            # The cells as stored (w:tr/w:tc), not python-docx's grid, which repeats a merged
            # cell once per column it spans.
            for row in child.iterchildren(qn("w:tr")):
                for cell in row.iterchildren(qn("w:tc")):
                    yield from _block_lines(cell, document)
        elif child.tag == qn("w:sdt"):  # content controls wrap paragraphs and tables
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, document)
