"""Finding files, reading them safely and writing them back atomically.

Text is decoded as strict UTF-8. A BOM, CRLF line breaks, the presence of a final newline
and the file mode survive a fix; a file is written only when its text changed, through a
temporary file in the same folder that replaces it in one step.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

BOM = codecs.BOM_UTF8


class FileError(Exception):
    """A file cannot be linted (missing, unreadable, not UTF-8). The message names file and reason."""


class BinaryFileError(FileError):
    """A binary file: skipped with a note, not an error."""


@dataclass(frozen=True)
class SourceText:
    path: str
    text: str  # with "\n" line breaks when the file used CRLF throughout
    bom: bool = False
    crlf: bool = False
    final_newline: bool = True

    def encode(self, text: str) -> bytes:
        """Bytes for ``text`` in this file's own conventions."""
        if text:
            has_final = text.endswith("\n")
            if self.final_newline and not has_final:
                text += "\n"
            elif not self.final_newline and has_final:
                text = text.rstrip("\n")
        if self.crlf:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        return BOM + data if self.bom else data


def decode(data: bytes, path: str) -> SourceText:
    if b"\x00" in data[:8192]:
        raise BinaryFileError(f"{path}: binary file (NUL bytes), skipped")
    bom = data.startswith(BOM)
    body = data[len(BOM):] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(BOM) if bom else 0)
        raise FileError(
            f"{path}: invalid UTF-8 at byte {offset} (0x{body[exc.start]:02x}); file left untouched"
        ) from None
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    return SourceText(path, text, bom=bom, crlf=crlf, final_newline=text.endswith("\n") or not text)


def read_source(path: str) -> SourceText:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, path)


def write_atomic(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its permission bits."""
    import tempfile  # only runs that write pay for importing it

    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=".articlelint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def discover(paths: Sequence[str], extensions_for: Callable[[str], Tuple[str, ...]],
             is_excluded: Callable[[str], bool]) -> Tuple[List[str], List[str]]:
    """Expand paths into files to lint. Returns (files, errors).

    Folders are walked recursively, skipping hidden folders and excluded paths, keeping files
    whose extension the nearest config allows. Files named explicitly are linted whatever
    their extension, but config excludes still apply (as pre-commit passes files one by one).
    """
    files: List[str] = []
    errors: List[str] = []
    seen = set()

    def add(path: str) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if os.path.isdir(path):
            for found in _walk(path, extensions_for, is_excluded):
                add(found)
        elif os.path.exists(path):
            if not is_excluded(path):
                add(path)
        else:
            errors.append(f"{path}: no such file or directory")
    return files, errors


def _walk(root: str, extensions_for: Callable[[str], Tuple[str, ...]],
          is_excluded: Callable[[str], bool]) -> Iterator[str]:
    for current, dirs, names in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not is_excluded(os.path.join(current, d))
        )
        extensions = extensions_for(current)
        for name in sorted(names):
            if name.startswith("."):
                continue
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            full = os.path.normpath(os.path.join(current, name))
            if ext in extensions and not is_excluded(full):
                yield full


def read_stdin(name: Optional[str]) -> SourceText:
    import sys

    data = sys.stdin.buffer.read()
    return decode(data, name or "-")
