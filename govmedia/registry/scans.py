"""The signed, scanned 备案表 a unit keeps with its filing: PDF, JPG or PNG, at most 10 MB.

The type is read from the file's first bytes, not from its name: a renamed text or executable
file must not be stored and later handed to a reviewer as a "PDF".
"""

from govmedia.core.errors import ServiceError

MAX_BYTES = 10 * 1024 * 1024

# (stored extension, leading bytes)
SIGNATURES = (
    ("pdf", b"%PDF-"),
    ("jpg", b"\xff\xd8\xff"),
    ("png", b"\x89PNG\r\n\x1a\n"),
)
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
ALLOWED = "PDF、JPG 或 PNG"


def scan_kind(name: str, size: int, head: bytes) -> str:
    """The stored extension ("pdf", "jpg" or "png") of an acceptable scan, or ServiceError."""
    if not size:
        raise ServiceError("签章扫描件为空文件，请重新选择", field="scan")
    if size > MAX_BYTES:
        raise ServiceError(
            f"签章扫描件不能超过 10 MB（当前 {size / 1024 / 1024:.1f} MB），请降低扫描分辨率后重试",
            field="scan",
        )
    claimed = EXTENSIONS.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if claimed is None:
        raise ServiceError(f"签章扫描件须为 {ALLOWED} 文件", field="scan")
    actual = next((kind for kind, magic in SIGNATURES if head.startswith(magic)), None)
    if actual is None:
        raise ServiceError(
            f"文件“{name}”的内容不是 {ALLOWED}（仅改扩展名无效），请上传扫描得到的原始文件",
            field="scan",
        )
    if actual != claimed:
        raise ServiceError(
            f"文件“{name}”的扩展名与内容不符（内容为 {actual.upper()}），请核对后重新上传",
            field="scan",
        )
    return actual


def read_head(upload, length: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head
