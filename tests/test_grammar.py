"""G family: the two grammar back-ends, without the network.

LanguageTool: no LanguageTool server can be installed here, so :class:`FakeLanguageTool` is a
local HTTP server on 127.0.0.1 that speaks LanguageTool's HTTP API (``GET /v2/languages``,
``POST /v2/check`` with its form fields, its JSON answer with UTF-16 offsets) and answers
with the responses in tests/data/languagetool/ (written by hand after LanguageTool's
documented response shape) or with matches it computes the same way; the REAL
language-tool-python client talks to it. Harper runs for real when harper-py is installed.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from lint.config import Settings
from lint.diagnostics import Applicability, RuleUnavailable
from lint.engine import check_text, fix_text

import rules.grammar as grammar
from rules._grammar import Utf16Map, chunks, utf16_length

DATA = Path(__file__).resolve().parent / "data" / "languagetool"
HEADLINE = "Headline of the article\n\n"

try:
    import language_tool_python  # noqa: F401

    HAVE_LTP = True
except ImportError:  # pragma: no cover
    HAVE_LTP = False
try:
    import harper  # noqa: F401

    HAVE_HARPER = True
except ImportError:  # pragma: no cover
    HAVE_HARPER = False

needs_ltp = pytest.mark.skipif(not HAVE_LTP, reason="language-tool-python (the `grammar` extra) is not installed")
needs_harper = pytest.mark.skipif(not HAVE_HARPER, reason="harper-py is not installed (pip install harper-py)")


# ---------------------------------------------------------------- a protocol-faithful fake server

def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeLanguageTool:
    """LanguageTool's HTTP API on a free loopback port. ``mode``: "ok", "slow", "500", "html",
    "json-without-matches". Every /v2/check request's form fields are kept in ``requests``."""

    SYNTH = [  # (regex, rule id, issue type, message, replacements): used for texts with no recording
        (r"\bteh\b", "MORFOLOGIK_RULE_EN_US", "misspelling", "Possible spelling mistake found.", ["the"]),
        (r"\bHe go\b", "HE_VERB_AGR", "grammar", "The pronoun 'He' is usually used with a third-person verb.", ["He goes"]),
    ]

    def __init__(self, mode: str = "ok", max_text_length: int = 0, delay: float = 3.0):
        self.mode = mode
        self.max_text_length = max_text_length
        self.delay = delay
        self.requests = []
        self.recorded = {}
        for path in DATA.glob("check_*.json"):
            item = json.loads(path.read_text(encoding="utf-8"))
            self.recorded[item["request"]["text"]] = item["response"]
        self.languages = json.loads((DATA / "languages.json").read_text(encoding="utf-8"))
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest's output clean
                pass

            def _send(self, status, body, content_type="application/json"):
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlparse(self.path).path
                if path == "/v2/languages":
                    self._send(200, json.dumps(fake.languages))
                elif path == "/v2/healthcheck":
                    self._send(200, "OK", "text/plain")
                else:
                    self._send(404, "Error: unknown path", "text/plain")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True).items()}
                if urlparse(self.path).path != "/v2/check":
                    return self._send(404, "Error: unknown path", "text/plain")
                fake.requests.append(form)
                self._send(*fake.answer(form))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, form):
        text = form.get("text")
        if text is None and "data" in form:  # the annotated-text form of the API
            text = "".join(part.get("text", part.get("markup", "")) for part in json.loads(form["data"])["annotation"])
        if text is None or "language" not in form:
            return 400, "Error: Missing 'text' or 'data' parameter", "text/plain"
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode == "500":
            return 500, "Error: Internal Error: java.lang.OutOfMemoryError", "text/plain"
        if self.mode == "html":
            return 200, "<html><body>Welcome to nginx!</body></html>", "text/html"
        if self.mode == "json-without-matches":
            return 200, json.dumps({"error": "overloaded"}), "application/json"
        if self.max_text_length and _u16(text) > self.max_text_length:
            return 413, f"Error: Your text exceeds the limit of {self.max_text_length} characters", "text/plain"
        disabled = set(filter(None, form.get("disabledRules", "").split(",")))
        response = self.recorded.get(text) or self.synthesise(text)
        response = dict(response, matches=[m for m in response["matches"] if m["rule"]["id"] not in disabled])
        return 200, json.dumps(response, ensure_ascii=False), "application/json"

    def synthesise(self, text):
        matches = []
        for pattern, rule_id, issue, message, replacements in self.SYNTH:
            for m in re.finditer(pattern, text):
                matches.append({
                    "message": message, "shortMessage": "", "replacements": [{"value": r} for r in replacements],
                    "offset": _u16(text[: m.start()]), "length": _u16(m.group()),
                    "context": {"text": text[max(0, m.start() - 20): m.end() + 20], "offset": min(20, m.start()),
                                "length": _u16(m.group())},
                    "sentence": m.group(), "type": {"typeName": "Other"},
                    "rule": {"id": rule_id, "description": message, "issueType": issue,
                             "category": {"id": "TYPOS" if issue == "misspelling" else "GRAMMAR", "name": "x"}},
                })
        return {"software": {"name": "LanguageTool", "version": "6.4", "apiVersion": 1},
                "language": {"name": "English (US)", "code": "en-US"}, "matches": matches}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _free_port() -> int:
    """A loopback port with nothing listening on it (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lt_settings(url, select=("G:LT",), **grammar_options):
    return Settings(select=select, sections=(("grammar", tuple({"languagetool-url": url, **grammar_options}.items())),))


@pytest.fixture(autouse=True)
def _fresh_engines():
    grammar._ENGINES.clear()
    yield
    grammar._ENGINES.clear()


def lint(text, settings):
    errors = []
    found = check_text(text, settings, errors=errors)
    return found, errors


# ---------------------------------------------------------------- pure helpers

def test_utf16_map_emoji_and_surrogate_middle():
    text = "a😀b🎉c"
    m = Utf16Map(text)
    # UTF-16 units: a=0, 😀=1-2, b=3, 🎉=4-5, c=6
    assert [m.to_code_points(u) for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    assert m.to_code_points(2) == 1  # inside the surrogate pair: the start of its character
    assert Utf16Map("plain").to_code_points(3) == 3


def test_chunks_cover_text_and_respect_limit():
    para = "Sentence number one is here. Another sentence follows it. 😀 A third one ends the paragraph.\n\n"
    text = para * 50
    pieces = chunks(text, 500)
    assert "".join(p for _, p in pieces) == text
    assert all(utf16_length(p) <= 500 for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)
    assert all(p.endswith("\n\n") for _, p in pieces[:-1]), "cuts fall on paragraph breaks when possible"
    one_word = "x" * 1200
    assert "".join(p for _, p in chunks(one_word, 500)) == one_word


# ---------------------------------------------------------------- LanguageTool through the real client

@needs_ltp
def test_languagetool_findings_codes_fixes_and_request_fields():
    with FakeLanguageTool() as server:
        text = (DATA / "check_he_go.json").read_text(encoding="utf-8")
        text = json.loads(text)["request"]["text"]
        found, errors = lint(text, lt_settings(server.url))
        assert errors == []
        assert [(d.code, d.line, d.column, d.snippet) for d in found] == [("G:LT:HE_VERB_AGR", 3, 4, "go")]
        d = found[0]
        assert d.fix is not None and d.fix.applicability is Applicability.UNSAFE
        assert "'goes'" in d.message and d.severity.value == "info"
        form = server.requests[-1]
        assert form["language"] == "en-US" and form["text"] == text
        assert "WHITESPACE_RULE" in form["disabledRules"].split(",")
        fixed = fix_text(text, lt_settings(server.url), unsafe=True).text
        assert "He goes to school" in fixed


@needs_ltp
def test_languagetool_emoji_offsets_are_code_points():
    with FakeLanguageTool() as server:
        text = json.loads((DATA / "check_emoji.json").read_text(encoding="utf-8"))["request"]["text"]
        found, errors = lint(text, lt_settings(server.url))
        assert errors == []
        assert [(d.code, d.snippet) for d in found] == [("G:LT:MORFOLOGIK_RULE_EN_US", "teh"), ("G:LT:IT_VBZ", "were")]
        assert fix_text(text, lt_settings(server.url), unsafe=True).text.count("the team") == 1


@needs_ltp
def test_languagetool_skips_rules_owned_elsewhere_and_names():
    with FakeLanguageTool() as server:
        text = json.loads((DATA / "check_owned_elsewhere.json").read_text(encoding="utf-8"))["request"]["text"]
        found, errors = lint(text, lt_settings(server.url))
        assert errors == [] and found == []  # names: P family; whitespace and repeats: W family
        found, _ = lint(text, lt_settings(server.url, **{"spell-proper-names": True, "enabled-rules": ["WHITESPACE_RULE"]}))
        assert sorted(d.code for d in found) == ["G:LT:MORFOLOGIK_RULE_EN_US"] * 2 + ["G:LT:WHITESPACE_RULE"]


@needs_ltp
def test_languagetool_chunks_below_server_limit_in_parallel():
    paragraph = "The council met on Monday and teh budget passed after a long debate about roads. 🚧\n\n"
    text = HEADLINE + paragraph * 60  # about 5,000 UTF-16 units
    with FakeLanguageTool(max_text_length=1000) as server:
        found, errors = lint(text, lt_settings(server.url, **{"chunk-size": 1000, "max-requests": 3}))
        assert errors == []
        checks = [r for r in server.requests if r["text"] != "Test."]
        assert len(checks) >= 5 and all(_u16(r["text"]) <= 1000 for r in checks)
        assert len(found) == 60 and all(d.snippet == "teh" for d in found)
        # too large a chunk for this server: a per-file error line, not a crash
        grammar._ENGINES.clear()
        found, errors = lint(text, lt_settings(server.url, **{"chunk-size": 4000}))
        assert found == [] and len(errors) == 1 and "exceeds the limit" in errors[0]


@needs_ltp
@pytest.mark.parametrize("mode,expected", [
    ("slow", "no answer within 0.5 s"),
    ("500", "OutOfMemoryError"),
    ("html", "not JSON"),
    ("json-without-matches", "without 'matches'"),
])
def test_languagetool_bad_server_gives_one_error_line(mode, expected):
    with FakeLanguageTool(mode="ok", delay=2.0) as server:
        settings = lt_settings(server.url, timeout=0.5)
        grammar.languagetool.setup(settings)  # the server answered at set-up time
        server.mode = mode  # ... and goes bad afterwards
        text = HEADLINE + "He go to school every day.\n"
        started = time.monotonic()
        found, errors = lint(text, settings)
        assert time.monotonic() - started < 2.0
        assert found == [] and len(errors) == 1
        assert errors[0].startswith("<text>: G:LT: LanguageTool at http://127.0.0.1:") and expected in errors[0]
        assert "\n" not in errors[0]


@needs_ltp
def test_languagetool_other_rules_still_report_when_server_fails():
    with FakeLanguageTool(mode="ok") as server:
        settings = lt_settings(server.url, select=("G:LT", "W009"))
        grammar.languagetool.setup(settings)
        server.mode = "500"
        found, errors = lint(HEADLINE + "He go  to school.\n", settings)
        assert [d.code for d in found] == ["W009"] and len(errors) == 1


@needs_ltp
def test_setup_refused_connection_is_quick_and_one_line():
    url = f"http://127.0.0.1:{_free_port()}/"
    started = time.monotonic()
    with pytest.raises(RuleUnavailable) as info:
        grammar.languagetool.setup(lt_settings(url, select=("G",)))
    assert time.monotonic() - started < 5
    assert "did not answer GET /v2/languages" in str(info.value) and "\n" not in str(info.value)


@needs_ltp
def test_setup_returns_engine_version_for_the_cache_key():
    with FakeLanguageTool() as server:
        version = grammar.languagetool.setup(lt_settings(server.url))
        assert version == f"languagetool 6.4 @ {server.url}v2/ (en-US)"
        with pytest.raises(RuleUnavailable, match="does not support language"):
            grammar._ENGINES.clear()
            grammar.languagetool.setup(lt_settings(server.url, language="xx-YY"))


def test_no_backend_at_all_names_both_ways(monkeypatch, tmp_path):
    monkeypatch.setenv("LTP_PATH", str(tmp_path))  # an empty local-install folder
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    from rules._grammar import harper as harper_backend

    monkeypatch.setattr(harper_backend, "version", lambda: None)
    for select in (("G",), ("G:LT",), ("G:HARPER",)):
        grammar._ENGINES.clear()
        with pytest.raises(RuleUnavailable) as info:
            for r in (grammar.languagetool, grammar.harper):
                if r.code in select or select == ("G",):
                    r.setup(Settings(select=select))
        message = str(info.value)
        assert "--languagetool-url" in message and "pip install harper-py" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == [], "nothing was downloaded or created"


def test_local_install_without_java_is_unavailable_and_downloads_nothing(monkeypatch, tmp_path):
    (tmp_path / "languagetool-server.jar").write_bytes(b"")
    monkeypatch.setenv("LTP_JAR_DIR_PATH", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no java
    with pytest.raises(RuleUnavailable, match="no `java` on PATH"):
        grammar.languagetool.setup(Settings(select=("G:LT",), sections=(("grammar", (("backend", "languagetool"),)),)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["languagetool-server.jar"]


def test_core_does_not_import_the_gpl_client():
    code = ("import sys, lint, rules; from lint import check_text, Settings; "
            "check_text('Headline\\n\\nText here.\\n', Settings()); "
            "print('language_tool_python' in sys.modules, 'harper' in sys.modules)")
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# ---------------------------------------------------------------- Harper, for real

@needs_harper
def test_harper_flags_known_sentence():
    found, errors = lint(HEADLINE + "He go to school.\n", Settings(select=("G:HARPER",)))
    assert errors == []
    assert [(d.code, d.snippet) for d in found] == [("G:HARPER:PronounVerbAgreement", "go")]
    assert found[0].fix.applicability is Applicability.UNSAFE
    assert fix_text(HEADLINE + "He go to school.\n", Settings(select=("G:HARPER",)), unsafe=True).text.endswith(
        "He goes to school.\n")


CLEAN_ARTICLE = """City council approves budget for road repairs

SPRINGFIELD (Reuters) - The city council voted 7-2 on Tuesday to approve a budget that sets aside $4.5 million for road repairs, Mayor Ana Okonkwo said.

"We have waited too long to fix our streets," Okonkwo told reporters after the vote. "This is a good day for the people who drive on them every morning."

Council member Dilworth, who voted against the plan, said the money should have gone to schools, health care and public transit instead.

Work on the first roads is expected to begin in April and to last about six months, officials said.
"""


@needs_harper
def test_harper_clean_reference_article():
    found, errors = lint(CLEAN_ARTICLE, Settings(select=("G:HARPER",)))
    assert errors == [] and found == [], [(d.code, d.snippet) for d in found]


@needs_harper
def test_harper_skips_name_particles_and_capitalised_unknown_words():
    text = HEADLINE + "President Bashar al-Assad met Xochitlquetzal Brzęczyszczykiewicz in Deir-i-Zur.\n"
    found, _ = lint(text, Settings(select=("G:HARPER",)))
    assert found == []


@needs_harper
def test_auto_backend_runs_harper_when_no_server(monkeypatch, tmp_path):
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    settings = Settings(select=("G",))
    assert grammar.languagetool.setup(settings) == "off"
    assert grammar.harper.setup(settings).startswith("harper-py ")
    found, errors = lint(HEADLINE + "He go to school.\n", settings)
    assert errors == [] and [d.code for d in found] == ["G:HARPER:PronounVerbAgreement"]


@needs_harper
def test_harper_linter_is_built_once_per_process():
    from rules._grammar import harper as harper_backend

    lint(HEADLINE + "He go to school.\n", Settings(select=("G:HARPER",)))
    first = dict(harper_backend._LOCAL.linters)
    lint(HEADLINE + "She go to work.\n", Settings(select=("G:HARPER",)))
    assert harper_backend._LOCAL.linters == first and len(first) == 1


# ---------------------------------------------------------------- the real `lint` executable

@needs_ltp
def test_cli_reports_g_findings_from_the_server(lint_exe, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(HEADLINE + "He go to school every day.\n", encoding="utf-8")
    with FakeLanguageTool() as server:
        proc = subprocess.run([lint_exe, "--select", "G", "--languagetool-url", server.url, "--no-cache",
                               "--output-format", "json", str(article)], capture_output=True, text=True, timeout=60,
                              cwd=tmp_path)
    codes = [d["code"] for d in json.loads(proc.stdout)]
    assert "G:LT:HE_VERB_AGR" in codes, (proc.stdout, proc.stderr)
    assert proc.returncode in (0, 1), proc.stderr


@needs_ltp
def test_cli_down_server_exits_2_quickly(lint_exe, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(HEADLINE + "He go to school every day.\n", encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run([lint_exe, "--select", "G", "--languagetool-url", f"http://127.0.0.1:{_free_port()}/",
                           str(article)], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert time.monotonic() - started < 5
    assert proc.returncode == 2
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "G:LT" in proc.stderr and "LanguageTool" in proc.stderr


@needs_ltp
def test_cli_server_failing_mid_run_is_a_file_error(lint_exe, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(HEADLINE + "He go  to school every day.\n", encoding="utf-8")
    with FakeLanguageTool() as server:
        server.SYNTH = []  # the set-up probe must pass; then every check fails
        original = server.answer
        server.answer = lambda form: original(form) if form.get("text") == "Test." else (500, "Error: boom", "text/plain")
        proc = subprocess.run([lint_exe, "--select", "G:LT,W009", "--languagetool-url", server.url, "--no-cache",
                               str(article)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "W009" in proc.stdout
    assert "G:LT" in proc.stderr and "boom" in proc.stderr
