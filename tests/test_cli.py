"""End to end through the real `lint` executable: exit codes, stdout/stderr, files on disk."""

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path


from .conftest import ROOT

SEEDS = ROOT / "seeds"
DIRTY = "Headline Here\n\nClashes between US -backed forces.\n\nMore news: Another Story Entirely\n\nThe end.\n"
CLEAN = "Headline Here\n\nA clean article body with nothing to report.\n"


def run(lint_exe, *args, cwd=None, stdin=None):
    return subprocess.run([lint_exe, *map(str, args)], cwd=cwd, input=stdin, capture_output=True, timeout=60)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_seeds_report_and_exit_1(lint_exe):
    proc = run(lint_exe, SEEDS)
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr
    assert "000_5a1ffa0b2cb507dd.txt:20:1: B001" in out
    assert proc.stderr == b""


def test_clean_file_exit_0_and_untouched(lint_exe, tmp_path):
    f = write(tmp_path / "clean.txt", CLEAN.encode())
    before = os.stat(f).st_mtime_ns
    proc = run(lint_exe, "--fix", f)
    assert proc.returncode == 0, proc.stdout
    assert f.read_bytes() == CLEAN.encode()
    assert os.stat(f).st_mtime_ns == before, "an unchanged file is not rewritten"


def test_missing_path_is_one_line_exit_2(lint_exe, tmp_path):
    proc = run(lint_exe, tmp_path / "missing.txt")
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and "missing.txt" in lines[0] and "no such file" in lines[0]


def test_usage_error_is_one_line_exit_2(lint_exe):
    proc = run(lint_exe, "--no-such-flag")
    assert proc.returncode == 2
    assert len(proc.stderr.decode().splitlines()) == 1
    proc = run(lint_exe, "--select", "Z999", SEEDS)
    assert proc.returncode == 2 and b"Z999" in proc.stderr and b"Traceback" not in proc.stderr


def test_fix_then_fix_again_changes_nothing(lint_exe, tmp_path):
    work = tmp_path / "seeds"
    shutil.copytree(SEEDS, work)
    first = run(lint_exe, "--fix", work)
    assert first.returncode in (0, 1)
    after_first = {p.name: p.read_bytes() for p in work.iterdir()}
    second = run(lint_exe, "--fix", work)
    assert {p.name: p.read_bytes() for p in work.iterdir()} == after_first
    assert b"Fixed" not in second.stdout
    text = (work / "000_5a1ffa0b2cb507dd.txt").read_text()
    assert "More news:" not in text and "US -backed" not in text and "usa authorities" not in text
    assert "Russian- or Iranian-backed" in text


def test_crlf_bom_final_newline_and_mode_are_kept(lint_exe, tmp_path):
    data = b"\xef\xbb\xbf" + DIRTY.replace("\n", "\r\n").rstrip(b"\r\n".decode()).encode()
    f = write(tmp_path / "crlf.txt", data)
    os.chmod(f, 0o640)
    proc = run(lint_exe, "--fix", f)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = f.read_bytes()
    assert out.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in out and b"\n" not in out.replace(b"\r\n", b"")
    assert not out.endswith(b"\n"), "no final newline before, none after"
    assert b"US-backed" in out and b"More news" not in out
    assert stat.S_IMODE(os.stat(f).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["crlf.txt"], "no temporary file left behind"


def test_invalid_utf8_is_reported_and_never_written(lint_exe, tmp_path):
    data = DIRTY.encode() + b"\xff\xfe broken\n"
    f = write(tmp_path / "bad.txt", data)
    proc = run(lint_exe, "--fix", f)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "bad.txt" in err and "invalid UTF-8 at byte" in err and len(err.splitlines()) == 1
    assert f.read_bytes() == data


def test_binary_file_is_skipped_with_a_note(lint_exe, tmp_path):
    f = write(tmp_path / "image.txt", b"\x89PNG\x00\x00\x01binary")
    proc = run(lint_exe, f)
    assert proc.returncode == 0
    assert b"binary" in proc.stderr


def test_diff_prints_and_writes_nothing(lint_exe, tmp_path):
    f = write(tmp_path / "a.txt", DIRTY.encode())
    proc = run(lint_exe, "--diff", f)
    assert proc.returncode == 1
    assert b"-Clashes between US -backed forces." in proc.stdout
    assert b"+Clashes between US-backed forces." in proc.stdout
    assert f.read_bytes() == DIRTY.encode()


def test_json_output_contract(lint_exe, tmp_path):
    f = write(tmp_path / "a.txt", DIRTY.encode())
    proc = run(lint_exe, "--output-format", "json", f)
    items = json.loads(proc.stdout)
    assert proc.returncode == 1
    keys = {"path", "line", "column", "end_line", "end_column", "code", "rule", "message", "severity", "fix"}
    assert all(set(item) == keys for item in items)
    w001 = next(i for i in items if i["code"] == "W001")
    assert (w001["line"], w001["column"], w001["end_column"]) == (3, 17, 27)
    assert w001["fix"]["applicability"] == "safe"
    assert w001["fix"]["edits"] == [{"line": 3, "column": 19, "end_line": 3, "end_column": 20, "content": ""}]
    assert w001["severity"] in ("error", "warning", "info")
    lines = run(lint_exe, "--output-format", "jsonl", f).stdout.decode().splitlines()
    assert [json.loads(l) for l in lines] == items


def test_stdin_with_fix_prints_fixed_text(lint_exe):
    proc = run(lint_exe, "--fix", "--stdin-filename", "article.txt", "-", stdin=DIRTY.encode())
    assert b"US-backed" in proc.stdout and b"More news" not in proc.stdout
    proc = run(lint_exe, "-", stdin=DIRTY.encode())
    assert proc.returncode == 1 and b"-:3:17: W001" in proc.stdout


def test_select_ignore_and_exit_zero(lint_exe, tmp_path):
    f = write(tmp_path / "a.txt", DIRTY.encode())
    out = run(lint_exe, "--select", "W", f).stdout.decode()
    assert "W001" in out and "B001" not in out
    out = run(lint_exe, "--ignore", "space-before-hyphen", f).stdout.decode()
    assert "W001" not in out and "B001" in out
    assert run(lint_exe, "--exit-zero", f).returncode == 0


def test_statistics(lint_exe):
    out = run(lint_exe, "--statistics", SEEDS).stdout.decode()
    assert "W001" in out and "space-before-hyphen" in out


def test_config_file_and_bad_config(lint_exe, tmp_path):
    f = write(tmp_path / "a.txt", DIRTY.encode())
    (tmp_path / "articlelint.toml").write_text('ignore = ["B001"]\n')
    out = run(lint_exe, f).stdout.decode()
    assert "B001" not in out and "W001" in out
    (tmp_path / "articlelint.toml").write_text('ignroe = ["B001"]\n')
    proc = run(lint_exe, f)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "articlelint.toml" in err and "ignroe" in err and len(err.splitlines()) == 1
    (tmp_path / "articlelint.toml").write_text('select = [\n')
    proc = run(lint_exe, f)
    assert proc.returncode == 2 and b"invalid TOML" in proc.stderr


def test_folder_discovery_skips_hidden_and_other_extensions(lint_exe, tmp_path):
    write(tmp_path / "a.txt", DIRTY.encode())
    write(tmp_path / "b.md", DIRTY.encode())
    write(tmp_path / "c.py", DIRTY.encode())
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / ".hidden" / "d.txt", DIRTY.encode())
    out = run(lint_exe, tmp_path).stdout.decode()
    assert "a.txt" in out and "b.md" in out and "c.py" not in out and "d.txt" not in out


def test_rules_and_rule_commands(lint_exe):
    out = run(lint_exe, "rules").stdout.decode()
    assert "B001" in out and "related-link-line" in out
    proc = run(lint_exe, "rule", "B001")
    assert proc.returncode == 0 and b"Bad:" in proc.stdout and b"Good:" in proc.stdout
    assert run(lint_exe, "rule", "space-before-hyphen").returncode == 0
    proc = run(lint_exe, "rule", "Q123")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
