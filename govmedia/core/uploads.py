"""What a safe upload is: bounded reading, and the one zip-bomb rule for .docx and .xlsx files.

Uploads are hostile until proven otherwise. An Office file is a zip, and a zip bomb is a few KB
that inflate to gigabytes. A zip's central directory is read and judged before anything is
inflated; Python's zipfile then never inflates a member beyond the size its directory declares
(it stops there and fails the CRC), so the declared sizes bound the work of whatever reads the
file afterwards (python-docx, openpyxl).
"""

import zipfile
from io import BytesIO

from .errors import ServiceError

# A 20,000-row inventory sheet unpacks to about 15 MB; more than this is a bomb, not a document.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Office XML compresses well, ~10:1 and up to a few dozen for repetitive text; a bomb's members
# inflate by hundreds or thousands.
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 2000
# A member read as a stream that stops early (an .xlsx worksheet, read row by row up to the
# import's row limit) may inflate further: a genuine 100,000-row sheet is about 130 MB, and is
# then refused by its row limit, not as a bomb. The compression ratio still applies to it.
MAX_STREAMED_MEMBER_BYTES = 256 * 1024 * 1024

ZIP_BOMB_MESSAGE = (
    f"文件解压后过大或压缩比异常（疑似“压缩炸弹”），已拒绝处理；"
    f"解压后总大小不得超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB"
)


def read_at_most(upload, max_bytes: int) -> bytes | None:
    """The bytes of an uploaded file (anything with .read() and maybe .size), or None when it is
    larger than max_bytes. Never reads more than max_bytes + 1 bytes."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        return None
    data = upload.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def check_zip(
    data: bytes,
    *,
    required: str,
    not_valid: str,
    field: str,
    code: str | None = None,
    streamed: str | None = None,
) -> None:
    """Refuse data that is not a zip holding the member `required` (ServiceError `not_valid`,
    with `code` if given), or whose members would inflate beyond the limits: too many members,
    too much in total, or a member packed beyond the ratio (code "zip_bomb"). Members whose
    name starts with `streamed` (read as a stream that stops early) count apart, each up to
    MAX_STREAMED_MEMBER_BYTES. Reads only the central directory: nothing is decompressed here."""
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ServiceError(not_valid, field=field, code=code)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ServiceError(not_valid, field=field, code=code) from None

    def is_streamed(member: zipfile.ZipInfo) -> bool:
        return bool(streamed) and member.filename.startswith(streamed)

    total = sum(member.file_size for member in members if not is_streamed(member))
    if (
        len(members) > MAX_ZIP_MEMBERS
        or total > MAX_UNCOMPRESSED_BYTES
        or any(
            is_streamed(member) and member.file_size > MAX_STREAMED_MEMBER_BYTES
            for member in members
        )
        or any(_ratio(member) > MAX_COMPRESSION_RATIO for member in members)
    ):
        raise ServiceError(ZIP_BOMB_MESSAGE, field=field, code="zip_bomb")
    if required not in {member.filename for member in members}:
        raise ServiceError(not_valid, field=field, code=code)


def _ratio(member: zipfile.ZipInfo) -> float:
    if member.file_size == 0:
        return 0
    return member.file_size / max(member.compress_size, 1)
