"""What kind of image a file is, read from its first bytes (not from its name), for the upload
calls' content types and the fakes' format checks."""

SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)


def image_kind(data: bytes) -> str | None:
    """ "jpeg", "png", "gif", "bmp", or None for anything else."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def image_mime(data: bytes) -> str:
    kind = image_kind(data)
    return f"image/{kind}" if kind else "application/octet-stream"
