"""The text of an uploaded file (.txt or .docx), or a Chinese message saying why there is none.

Uploads are hostile until proven otherwise: a .txt in an unknown encoding, a .docx that is
no zip, or a zip bomb (a few KB that inflate to gigabytes). A zip's central directory is read
and judged before anything is inflated; Python's zipfile then never inflates a member beyond
the size its directory declares (it stops there and fails the CRC), so the declared sizes bound
the work. python-docx parses the XML with entity resolution off.
"""

import logging
import zipfile
from io import BytesIO
from pathlib import PurePath

from govmedia.core.errors import ServiceError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Office XML compresses well, ~10:1 and up to a few dozen for repetitive text; a bomb's members
# inflate by hundreds or thousands.
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 2000
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
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_large()
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
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


def check_zip(data: bytes, *, required: str, not_valid: str, field: str = FIELD) -> None:
    """Refuse data that is not a zip holding `required`, or whose members would inflate beyond
    the limits. Reads only the central directory: nothing is decompressed here."""
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ServiceError(not_valid, field=field)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ServiceError(not_valid, field=field) from None
    if required not in {member.filename for member in members}:
        raise ServiceError(not_valid, field=field)
    total = sum(member.file_size for member in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or total > MAX_UNCOMPRESSED_BYTES
        or any(_ratio(member) > MAX_COMPRESSION_RATIO for member in members)
    ):
        raise ServiceError(
            f"文件解压后过大或压缩比异常（疑似“压缩炸弹”），已拒绝处理；"
            f"解压后总大小不得超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB",
            field=field,
            code="zip_bomb",
        )


def _ratio(member: zipfile.ZipInfo) -> float:
    if member.file_size == 0:
        return 0
    return member.file_size / max(member.compress_size, 1)


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells (nested tables too) in document order, one per line."""
    check_zip(data, required="word/document.xml", not_valid=NOT_DOCX)
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
