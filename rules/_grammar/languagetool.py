"""LanguageTool through language-tool-python (GPL-3.0-only, optional extra ``articlelint[grammar]``).

Only remote-server mode is used for checking: against the configured URL, or against a server
this module starts from a local install found through the wrapper's own settings
(``LTP_JAR_DIR_PATH``, else ``LTP_PATH`` or its default folder). The wrapper's own local mode
is never used, because it downloads LanguageTool when it finds none; we locate the jar
ourselves and never download anything.

The client's request path (``_create_params`` + ``_query_server``: form fields, POST, JSON
decoding, its error classes) is used directly instead of ``LanguageTool.check``: ``check``
wraps each match in ``Match``, whose UTF-16 correction keeps a class-level cache of the last
text (unsafe with parallel requests) and leaves the match length in UTF-16 units.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from . import BackendError, Issue, Utf16Map, chunks, merge

PROBE_TIMEOUT = 3.0  # seconds for the set-up check of /v2/languages
LOCAL_START_TIMEOUT = 60.0  # a local Java server takes a while to load its language data


class Unavailable(Exception):
    """No usable LanguageTool: one line saying what is missing."""


def client_library():
    try:
        import language_tool_python
    except ImportError:
        raise Unavailable("language-tool-python is not installed (pip install 'articlelint[grammar]')") from None
    return language_tool_python


def normalise_url(url: str) -> str:
    """The server's base URL, ending in /v2/ (users paste either form)."""
    url = url.strip()
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise Unavailable(f"languagetool-url {url!r} is not an http(s) URL")
    path = parsed.path.rstrip("/")
    if path.endswith("/v2"):
        path = path[:-3]
    return urllib.parse.urlunparse(parsed._replace(path=path + "/v2/", query="", fragment=""))


class Client:
    """One per process: a language-tool-python client in remote mode plus a thread pool."""

    def __init__(self, url: str, language: str, timeout: float, max_requests: int, chunk_size: int,
                 disabled: Tuple[str, ...]) -> None:
        ltp = client_library()
        self.url = normalise_url(url)
        self.check_url = urllib.parse.urljoin(self.url, "check")
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.max_requests = max_requests
        # The wrapper reads its request timeout from a class attribute (300 s); the probe in
        # __init__ (GET /v2/languages) must be quick, so a subclass carries the short one.
        probing = type("ArticlelintLanguageTool", (ltp.LanguageTool,), {"_TIMEOUT": min(PROBE_TIMEOUT, timeout)})
        try:
            self.tool = probing(language=language, remote_server=self.url[: -len("v2/")])
        except ValueError as exc:  # an unknown language code
            raise Unavailable(f"LanguageTool at {self.url} does not support language {language!r}: {_one_line(exc)}") from None
        except Exception as exc:  # refused, timed out, not JSON: the wrapper's LanguageToolError and friends
            raise Unavailable(f"LanguageTool server at {self.url} did not answer GET /v2/languages: "
                              f"{_describe(exc, min(PROBE_TIMEOUT, timeout))}") from None
        self.tool._TIMEOUT = timeout
        self.tool.disabled_rules = set(disabled)
        self.version = self._software_version()
        self._pool: Optional[ThreadPoolExecutor] = None
        self._pid = os.getpid()

    def _software_version(self) -> str:
        try:
            data = self._post("Test.")
            software = data.get("software") or {}
            return str(software.get("version") or "unknown")
        except BackendError:
            return "unknown"

    def _post(self, text: str) -> dict:
        try:
            data = self.tool._query_server(self.check_url, self.tool._create_params(text), num_tries=1, method="post")
        except Exception as exc:
            raise BackendError(f"LanguageTool at {self.url}: {_describe(exc, self.timeout)}") from None
        if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
            raise BackendError(f"LanguageTool at {self.url} sent an answer without 'matches': {_one_line(str(data))}")
        return data

    def _check_chunk(self, text: str) -> List[Issue]:
        data = self._post(text)
        umap = Utf16Map(text)
        out = []
        for m in data["matches"]:
            try:
                offset, length = int(m["offset"]), int(m["length"])
                rule = m.get("rule") or {}
                rule_id = str(rule["id"])
                category = str((rule.get("category") or {}).get("id", ""))
                replacements = tuple(str(r["value"]) for r in m.get("replacements") or () if r.get("value") is not None)
                message = str(m.get("message") or rule.get("description") or rule_id)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise BackendError(f"LanguageTool at {self.url} sent a malformed match: {_one_line(exc)}") from None
            start, end = umap.to_code_points(offset), umap.to_code_points(offset + length)
            if end <= start:
                continue
            out.append(Issue(start, end, rule_id, message, replacements[:5], category,
                             misspelling=rule.get("issueType") == "misspelling"))
        return out

    def check(self, text: str) -> List[Issue]:
        pieces = [(o, p) for o, p in chunks(text, self.chunk_size) if p.strip()]
        if not pieces:
            return []
        if len(pieces) == 1 or self.max_requests == 1:
            return merge([(o, self._check_chunk(p)) for o, p in pieces])
        pool = self._executor()
        futures = [(o, pool.submit(self._check_chunk, p)) for o, p in pieces]
        # a request is bounded by the read timeout; the whole text by a generous multiple of it
        waves = -(-len(pieces) // self.max_requests)
        done, pending = wait([f for _, f in futures], timeout=self.timeout * (waves + 1))
        if pending:
            for f in pending:
                f.cancel()
            raise BackendError(f"LanguageTool at {self.url} did not answer {len(pending)} of {len(pieces)} "
                               f"requests in time")
        return merge([(o, f.result()) for o, f in futures])

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None or self._pid != os.getpid():  # a forked worker gets its own threads
            self._pool = ThreadPoolExecutor(max_workers=self.max_requests, thread_name_prefix="languagetool")
            self._pid = os.getpid()
        return self._pool


def _describe(exc: BaseException, timeout: float) -> str:
    """One short line for a failed request: the wrapper wraps requests' exceptions in its own."""
    import requests

    seen = exc
    while seen is not None:
        if isinstance(seen, requests.exceptions.Timeout):
            return f"no answer within {timeout:g} s"
        if isinstance(seen, requests.exceptions.ConnectionError):
            return "connection refused or host unreachable"
        seen = seen.__cause__ or seen.__context__
    text = _one_line(exc)
    if text.startswith("<") or "<html" in text.lower():
        return "the answer was not JSON (an HTML page: is this a LanguageTool server?)"
    return f"bad answer: {text}"


def _one_line(exc: object) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("..." if len(text) > 200 else "")


# ---------------------------------------------------------------- local install

def find_local_jar() -> Optional[Path]:
    """The LanguageTool server jar of a local install, located as language-tool-python does
    (``LTP_JAR_DIR_PATH``, else the newest ``LanguageTool-*`` folder under ``LTP_PATH`` or
    ``~/.cache/language_tool_python``). Nothing is created and nothing is downloaded."""
    names = ("languagetool-server.jar", "languagetool.jar")
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        candidates = [Path(jar_dir)]
    else:
        root = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
        candidates = sorted((p for p in root.glob("LanguageTool-*") if p.is_dir()), reverse=True) if root.is_dir() else []
    for folder in candidates:
        for name in names:
            if (folder / name).is_file():
                return folder / name
    return None


_LOCAL: Dict[str, object] = {}
_LOCAL_LOCK = threading.Lock()


def start_local_server(jar: Path) -> str:
    """Start ``java -cp JAR org.languagetool.server.HTTPServer`` on a free loopback port (once per
    process) and return its URL. The server stops when this process exits."""
    with _LOCAL_LOCK:
        if "url" in _LOCAL:
            return str(_LOCAL["url"])
        java = shutil.which("java")
        if not java:
            raise Unavailable(f"found LanguageTool at {jar} but no `java` on PATH")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = subprocess.Popen([java, "-cp", str(jar), "org.languagetool.server.HTTPServer", "-p", str(port)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        owner = os.getpid()
        atexit.register(lambda: process.terminate() if os.getpid() == owner and process.poll() is None else None)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + LOCAL_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise Unavailable(f"the local LanguageTool server ({jar}) exited with code {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.25)
        else:
            process.terminate()
            raise Unavailable(f"the local LanguageTool server ({jar}) did not start within {LOCAL_START_TIMEOUT:g} s")
        _LOCAL.update(url=url, process=process)
        return url
