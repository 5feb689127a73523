"""What every import does first with the bytes of a file a person saved."""

from __future__ import annotations


class NotUtf8(ValueError):
    """The file is not UTF-8 from `line` on (a spreadsheet saved as Latin-1, usually)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def utf8_text(data: bytes) -> str:
    """The text of the file, without the BOM Excel puts first; NotUtf8 naming the line of
    the first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotUtf8(data[: e.start].count(b"\n") + 1) from None
    return text.removeprefix("\ufeff")
