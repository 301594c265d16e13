"""Checking an uploaded article image: JPEG, PNG or GIF, read from its bytes, at most 2 MB, and
a picture Pillow can open with sane dimensions.

The type comes from the file's first bytes, never from its name or the browser's content type:
a renamed script must not be stored and later served as a "picture". Pillow then reads the
header (not the pixels) to refuse a truncated or forged file and absurd dimensions (a
decompression bomb is refused before anything is decoded).
"""

import io
from dataclasses import dataclass

from govmedia.core.errors import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 10_000  # pixels; a 政务 article image is a few thousand at most
MAX_PIXELS = 40_000_000

# (kind, leading bytes, content type, stored extension)
SIGNATURES = (
    ("jpeg", b"\xff\xd8\xff", "image/jpeg", "jpg"),
    ("png", b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    ("gif", b"GIF87a", "image/gif", "gif"),
    ("gif", b"GIF89a", "image/gif", "gif"),
)
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF"}
ALLOWED = "JPG、PNG 或 GIF"


@dataclass(frozen=True)
class CheckedImage:
    kind: str
    content_type: str
    extension: str
    width: int | None
    height: int | None


def check_image(name: str, data: bytes) -> CheckedImage:
    """The checked image, or a ServiceError (field "image") saying what is wrong, in Chinese."""
    label = f"文件“{name}”" if name else "该文件"
    if not data:
        raise ServiceError(f"{label}为空文件，请重新选择", field="image")
    if len(data) > MAX_BYTES:
        raise ServiceError(
            f"{label}超过 2 MB（当前 {len(data) / 1024 / 1024:.1f} MB），请压缩后再上传",
            field="image",
        )
    match = next((sig for sig in SIGNATURES if data.startswith(sig[1])), None)
    if match is None:
        raise ServiceError(
            f"{label}不是 {ALLOWED} 图片（按文件内容判断，仅改扩展名无效）", field="image"
        )
    kind, _, content_type, extension = match
    width, height = _dimensions(data, kind, label)
    return CheckedImage(kind, content_type, extension, width, height)


def _dimensions(data: bytes, kind: str, label: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.format != PIL_FORMATS[kind]:
                raise ServiceError(f"{label}的内容与图片格式不符，请上传原始图片", field="image")
            if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                raise ServiceError(
                    f"{label}的尺寸 {width}×{height} 超出范围（每边不超过 {MAX_SIDE} 像素）",
                    field="image",
                )
            if width * height > MAX_PIXELS:
                raise ServiceError(
                    f"{label}像素过多（{width}×{height}），请缩小后上传", field="image"
                )
            image.verify()  # the structure, without decoding the pixels
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ServiceError(
            f"{label}已损坏或不是有效的图片，请重新导出后上传", field="image"
        ) from None
    return width, height
