"""API schemas every app shares. One class per shape: the OpenAPI document names components by
class name, so two apps each defining a `VersionIn` would describe one of them wrongly."""

from ninja import Field, Schema


class VersionIn(Schema):
    version: int = Field(description="读取时的版本号，用于发现并发修改和重复提交")
