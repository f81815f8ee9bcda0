"""The ``lint`` command: a thin face over :mod:`lint.runner` and :mod:`lint.engine`.

Exit status: 0 nothing left to report, 1 findings remain, 2 usage, config or I/O error.
Heavy modules are imported inside the commands, so ``lint one-file.txt`` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Any, List, Optional, Sequence, Tuple

import click

from . import __version__

OUTPUT_FORMATS = ("concise", "full", "json", "jsonl", "github", "sarif", "junit")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 200


class UserError(Exception):
    """Usage, config or I/O problem: printed as one line on stderr, exit status 2."""


def _split(values: Sequence[str]) -> Optional[List[str]]:
    """``--select B,W --select N001`` -> ['B', 'W', 'N001']; None when the option was not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class DefaultGroup(click.Group):
    """``lint PATH...`` runs ``check``; ``lint rules``, ``lint rule CODE`` and ``lint index`` are
    subcommands. A folder that shares a subcommand's name can be linted as ``lint ./rules``."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if not args or (args[0] not in self.commands and args[0] != "--version"):
            args = ["check"] + list(args)
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="articlelint")
def cli() -> None:
    """articlelint: find and fix scraping artifacts in news articles."""


def _load_ruleset():
    from .registry import RuleError, load_rules

    try:
        return load_rules()
    except RuleError as exc:
        raise UserError(str(exc)) from None


def _show_progress(n: int) -> bool:
    return n >= PROGRESS_MIN_FILES and sys.stderr.isatty() and not os.environ.get("CI")


class _Files:
    """Resolves settings per path and discovers files (config errors become UserError)."""

    def __init__(self, ruleset, config_file, overrides, isolated=False):
        from .config import ConfigError, ConfigResolver

        self.ruleset = ruleset
        try:
            self.resolver = ConfigResolver(ruleset.settings, config_file, overrides, isolated)
        except ConfigError as exc:
            raise UserError(str(exc)) from None
        self.checked = set()
        self._by_path: dict = {}  # a run asks for each file's settings several times

    def settings(self, path: str):
        found = self._by_path.get(path)
        if found is None:
            if len(self._by_path) > 100_000:
                self._by_path.clear()  # bounded: memory stays flat on huge folders
            found = self._by_path[path] = self._settings(path)
        return found

    def _settings(self, path: str):
        from .config import ConfigError, check_selectors

        try:
            settings = self.resolver.for_path(path)
            if id(settings) not in self.checked:
                check_selectors(settings, self.ruleset.is_selector)
                self.checked.add(id(settings))
        except ConfigError as exc:
            raise UserError(str(exc)) from None
        return settings

    def discover(self, paths: Sequence[str]) -> Tuple[List[str], List[str]]:
        from .files import discover

        return discover(
            list(paths) or ["."],
            extensions_for=lambda folder: self.settings(os.path.join(folder, "x")).extensions,
            is_excluded=lambda p: self.settings(p).is_excluded(p),
        )


def _common_overrides(ruleset, select, ignore, extend_select):
    overrides = {"select": _split(select), "ignore": _split(ignore), "extend_select": _split(extend_select)}
    for key, values in overrides.items():
        for sel in values or ():
            if not ruleset.is_selector(sel):
                raise UserError(f"--{key.replace('_', '-')}: unknown rule selector '{sel}' (see 'lint rules')")
    return overrides


def _corpus_plan(ruleset, files_obj: _Files, files: List[str], index_file: Optional[str]):
    """(collectors, saved index or None) when a selected rule reads a corpus index; else None."""
    from .corpus import CorpusIndex

    settings = files_obj.settings(os.path.join(os.getcwd(), "x"))
    saved = index_file or settings.index
    base = None
    if saved:
        try:
            base = CorpusIndex.load(saved)
        except FileNotFoundError:
            if index_file:
                raise UserError(f"{saved}: index file not found (create it with 'lint index')") from None
        except (OSError, ValueError) as exc:
            raise UserError(str(exc)) from None
    selected = {r.code for r in ruleset.select(settings.select, settings.extend_select, settings.ignore)}
    collectors = [c for c in ruleset.collectors if set(c.rules) & selected]
    if not collectors:
        return None
    if base is None and len(files) < 2:
        return None  # one document alone is no corpus
    return collectors, base


def _corpus_index(files_obj: _Files, files: List[str], plan, jobs: int, cache=None):
    """The corpus index for this run (built before any file is linted), or None without a plan."""
    from .runner import build_index

    if plan is None:
        return None
    collectors, base = plan
    return build_index(files, files_obj.settings, collectors, jobs, base, cache)


@cli.command("check", epilog="Other commands: 'lint rules' lists every rule; 'lint rule CODE' explains one; "
                             "'lint index' saves a corpus index.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files back.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes (guesses).")
@click.option("--diff", is_flag=True, help="Print the unified diff of what --fix would change; write nothing.")
@click.option("--select", multiple=True, metavar="CODES", help="Rules to run (codes, prefixes or names; comma-separated). Replaces the config's select.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to skip.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="concise", show_default=True)
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--statistics", is_flag=True, help="Print a count of findings per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file for every path.")
@click.option("--stdin-filename", help="Name to report (and to find config for) when reading '-' from stdin.")
@click.option("--index", "index_file", type=click.Path(dir_okay=False), help="A saved corpus index (see 'lint index').")
@click.option("--text-field", help="JSONL: the field holding the article text [default: text].")
@click.option("--title-field", help="JSONL: the field holding the title [default: title]; '' for none.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False), help="Record the current findings as a baseline and exit 0.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: CPU count].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help="Cache folder [default: .articlelint_cache].")
@click.option("--languagetool-url", metavar="URL", help="LanguageTool server for the G rules (sets [tool.articlelint.grammar] languagetool-url).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
def check(paths: Tuple[str, ...], fix: bool, unsafe_fixes: bool, diff: bool, select, extend_select, ignore,
          output_format: str, output_file: Optional[str], statistics: bool, exit_zero: bool,
          config_file: Optional[str], stdin_filename: Optional[str], index_file: Optional[str],
          text_field: Optional[str], title_field: Optional[str], baseline_file: Optional[str],
          write_baseline_file: Optional[str], jobs: Optional[int], no_cache: bool, cache_dir: Optional[str],
          languagetool_url: Optional[str], quiet: bool) -> None:
    """Check articles (files or folders; '-' reads stdin) and optionally fix them."""

    ruleset = _load_ruleset()
    overrides = _common_overrides(ruleset, select, ignore, extend_select)
    if languagetool_url:
        if "grammar" not in ruleset.settings:
            raise UserError("--languagetool-url: no installed rule pack has grammar rules")
        overrides["sections"] = {"grammar": {"languagetool-url": languagetool_url}}
    files_obj = _Files(ruleset, config_file, overrides)
    here = files_obj.settings(os.path.join(os.getcwd(), "x"))
    rule_versions = _setup_rules(ruleset, here)
    from .runner import Mode

    mode = Mode(fix=fix, unsafe=unsafe_fixes, diff=diff,
                text_field=text_field or here.text_field or "text",
                title_field=(title_field if title_field is not None else (here.title_field if here.title_field is not None else "title")) or None)
    baseline = None
    if baseline_file:
        from .baseline import Baseline

        try:
            baseline = Baseline(baseline_file)
        except ValueError as exc:
            raise UserError(str(exc)) from None

    out_stream = sys.stdout
    handle = None
    if output_file:
        try:
            handle = open(output_file, "w", encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{output_file}: cannot write report: {exc.strerror or exc}") from None
        out_stream = handle
    try:
        code = _run_check(ruleset, files_obj, list(paths), mode, output_format, out_stream, statistics, exit_zero,
                          stdin_filename, index_file, baseline, write_baseline_file, jobs, no_cache, cache_dir,
                          quiet, to_file=handle is not None, rule_versions=rule_versions)
    finally:
        if handle is not None:
            handle.close()
    sys.exit(code)


def _run_check(ruleset, files_obj, paths, mode, output_format, out, statistics, exit_zero, stdin_filename,
               index_file, baseline, write_baseline_file, jobs, no_cache, cache_dir, quiet, to_file,
               rule_versions="") -> int:
    from .files import FileError, read_stdin
    from .reporters import REPORTERS, statistics as print_statistics, summary
    from .runner import process_source

    errors: List[str] = []
    jobs = jobs or os.cpu_count() or 1
    collect_all = write_baseline_file is not None
    kept: List[Any] = []

    reporter_cls = REPORTERS[output_format]
    reporter = None if (statistics or collect_all) else reporter_cls(out, ruleset.rules)
    counts: Counter = Counter()
    fixable: Counter = Counter()
    totals = {"safe": 0, "unsafe": 0, "fixed": 0, "changed": 0}

    def take(path: str, diagnostics, text=None) -> None:
        diagnostics = sorted(diagnostics, key=lambda d: d.sort_key())
        if baseline is not None:
            diagnostics = baseline.new_only(diagnostics)
        for d in diagnostics:
            counts[d.code] += 1
            if d.fix is not None:
                kind = d.fix.applicability.value
                totals[kind] = totals.get(kind, 0) + 1
                if kind == "safe":
                    fixable[d.code] += 1
        if collect_all:
            kept.extend(diagnostics)
        elif reporter is not None:
            reporter.file(path, diagnostics, text)

    if paths == ["-"]:
        name = stdin_filename or "-"
        try:
            source = read_stdin(name)
        except FileError as exc:
            raise UserError(str(exc)) from None
        settings = files_obj.settings(os.path.abspath(name) if stdin_filename else os.path.join(os.getcwd(), "-"))
        result = process_source(source, settings, mode, write=False)
        if mode.fix and not mode.diff and not result.errors:
            # ruff's convention: the fixed text goes to stdout, findings to stderr
            sys.stdout.write(result.text if result.text is not None else source.text)
            sys.stdout.flush()
            if not to_file:
                out = sys.stderr
                reporter = None if (statistics or collect_all) else reporter_cls(out, ruleset.rules)
        results = [result]
    else:
        if "-" in paths:
            raise UserError("'-' (stdin) cannot be combined with other paths")
        files, missing = files_obj.discover(paths)
        errors.extend(missing)
        cache = None if (no_cache or mode.diff) else _open_cache(cache_dir, ruleset)
        plan = _corpus_plan(ruleset, files_obj, files, index_file)
        _freeze_kept()
        if plan is not None and not mode.fixing:
            results = _lint_corpus(ruleset, files, files_obj, mode, plan, jobs, cache, take, rule_versions,
                                   reporter_cls.wants_text)
        else:
            index = _corpus_index(files_obj, files, plan, jobs, cache)
            _freeze_kept()
            results = _lint_files(files, files_obj, mode, index, jobs, cache, take, errors, rule_versions)

    diffs: List[str] = []
    for r in results:
        if r is None:
            continue
        if r.diagnostics or r.text is not None or r.checked:
            take(r.path, r.diagnostics, r.text)
        errors.extend(r.errors)
        totals["fixed"] += r.fixed
        totals["changed"] += r.changed
        if r.diff:
            diffs.append(r.diff)
        if r.note and not quiet:
            click.echo(f"note: {r.note}", err=True)

    if collect_all:
        from .baseline import write_baseline

        n = write_baseline(write_baseline_file, kept)
        for line in errors:
            click.echo(f"error: {line}", err=True)
        if not quiet:
            click.echo(f"Wrote {n} finding{'s' * (n != 1)} to the baseline {write_baseline_file}.", err=True)
        return EXIT_ERROR if errors else EXIT_CLEAN

    if mode.diff:
        for text in diffs:
            out.write(text)
        for line in errors:
            click.echo(f"error: {line}", err=True)
        if not quiet:
            n = len(diffs)
            click.echo(f"{n} file{'s' * (n != 1)} would be changed." if n else "No fixes to apply.", err=True)
        return EXIT_ERROR if errors else (EXIT_FINDINGS if diffs and not exit_zero else EXIT_CLEAN)

    total = sum(counts.values())
    if statistics:
        print_statistics(counts, {r.code: r.name for r in ruleset.rules}, fixable, out)
    elif reporter is not None:
        reporter.finish()
    if (statistics or (reporter is not None and reporter.text_summary)) and not quiet and (total or totals["fixed"] or not errors):
        for line in summary(total, totals["safe"], totals["unsafe"], totals["fixed"]):
            out.write(line + "\n")
    for line in errors:
        click.echo(f"error: {line}", err=True)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if total and not exit_zero else EXIT_CLEAN


def _lint_files(files, files_obj, mode, index, jobs, cache, take, errors, rule_versions=""):
    """Yield a FileResult per file, in order: from the cache, from the process pool, or (JSONL
    datasets, whose findings stream straight to the reporter) from this process."""
    from .jsonl import is_jsonl
    from .runner import FileResult, _work, lint_path, parallel_map

    # findings depend on the corpus index and the engines behind rules, not only on the file
    context = ""
    if cache is not None:  # (the fingerprint serialises the whole index: only a cache needs it)
        context = rule_versions + (index.fingerprint() if index is not None else "")
    slots: List[Any] = []
    pooled: List[Tuple[str, Any, Any]] = []
    for path in files:
        settings = files_obj.settings(path)
        if is_jsonl(path) and _is_big(path):
            slots.append(("jsonl", path, settings))  # streamed here: memory stays flat
            continue
        if is_jsonl(path):
            slots.append(("pool", None, None))
            pooled.append((path, settings, mode))
            continue
        key = _cache_key(cache, path, settings, mode, context) if cache is not None else None
        hit = cache.get(key, path) if key else None
        if hit is not None and not (mode.fix and _has_fix(hit, mode)):
            slots.append(("hit", FileResult(path, diagnostics=hit, count=len(hit), checked=True), None))
            continue
        slots.append(("pool", key, None))
        pooled.append((path, settings, mode))

    progress = None
    if _show_progress(len(pooled)):
        progress = click.progressbar(length=len(pooled), label="Linting", file=sys.stderr)
        progress.__enter__()
    results = parallel_map(_work, pooled, jobs, index)
    try:
        for kind, a, b in slots:
            if kind == "hit":
                yield a
            elif kind == "jsonl":
                # its records go to a pool of their own, unless the files' pool is running (no
                # second pool, and no fork of a process that has pool threads)
                result = lint_path(a, b, mode, index, sink=lambda ds, p=a: take(p, ds), jobs=1 if pooled else jobs)
                result.diagnostics = []
                yield result
            else:
                result = next(results)
                if progress is not None:
                    progress.update(1)
                if cache is not None and a and not result.errors and not result.changed and not result.note:
                    cache.put(a, result.diagnostics)
                yield result
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)
        if cache is not None:
            cache.close()


def _freeze_kept() -> None:
    """Take what the main process keeps so far (modules, settings, the corpus index, the results a
    one-pass run holds until its index is complete) out of the garbage collector's scans: those
    objects form no reference cycles, and every full collection scanned them all again (at 10x the
    corpus, collection took 2.3 s of the main process's 5.4 s CPU)."""
    import gc

    gc.freeze()


def _lint_corpus(ruleset, files, files_obj, mode, plan, jobs, cache, take, rule_versions="", wants_text=False):
    """Check mode with a corpus index, in one pass: each text file is linted without the index
    while its corpus facts and index probes are collected (or all three come from the cache: they
    do not depend on the other files); then the index is completed, and only the documents whose
    probes say the index can change a rule's findings are checked again, by those rules alone
    (that answer and those findings are cached too, keyed on the index). JSONL datasets, which add
    no facts, are linted last with the complete index. Yields a FileResult per file, in order
    (with its text only when ``wants_text``, read again for files with findings)."""
    from .corpus import CorpusIndex, relative_path
    from .files import FileError, read_source
    from .jsonl import is_jsonl
    from .runner import FileResult, _lint_collect_work, _recheck_work, lint_path, needed_codes, parallel_map

    collectors, base = plan
    index = CorpusIndex()
    if base is not None:
        index.merge(base)
    for c in collectors:
        index.versions[c.name] = c.version
    index_codes = tuple(sorted({code for c in collectors for code in c.rules}))
    by_code = {r.code: r for r in ruleset.rules}
    context = rule_versions + "|one-pass"
    here = os.getcwd()  # (documents are named in the index relative to it: see index_key)
    # per file: [kind ("jsonl", "hit", "pool"), path, settings, FileResult, probes, facts or cache key]
    slots: List[List[Any]] = []
    pooled = []
    for path in files:
        settings = files_obj.settings(path)
        if is_jsonl(path):
            slots.append(["jsonl", path, settings, None, None, None])
            continue
        key = _cache_key(cache, path, settings, mode, context) if cache is not None else None
        hit = cache.get_pass(key, path) if key else None
        if hit is not None:
            found, facts, probes = hit
            result = FileResult(path, diagnostics=found, count=len(found), checked=True)
            slots.append(["hit", path, settings, result, probes, facts])
            continue
        slots.append(["pool", path, settings, None, None, key])
        pooled.append((path, settings, tuple(collectors), index_codes))

    progress = None
    if _show_progress(len(pooled)):
        progress = click.progressbar(length=len(pooled), label="Linting", file=sys.stderr)
        progress.__enter__()
    try:
        results = parallel_map(_lint_collect_work, pooled, jobs)
        for i, slot in enumerate(slots):  # (in file order: the index keeps the first example paths it is given)
            if i % 256 == 255:
                _freeze_kept()
            if slot[0] == "jsonl":
                continue
            if slot[0] == "hit":
                facts = slot[5]
            else:
                result, facts, probes = next(results)
                if progress is not None:
                    progress.update(1)
                if cache is not None and slot[5] and not result.errors and not result.note:
                    cache.put_pass(slot[5], result.diagnostics, facts, probes)
                slot[3], slot[4] = result, probes
            index.add(relative_path(slot[1], here), facts)
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)

    # which documents the complete index concerns, and what its rules then find there
    context += "|" + index.fingerprint() if cache is not None else ""
    pending = []  # (slot, cache key): documents whose answer is not cached
    for slot in slots:
        if not slot[4]:
            continue  # no probe: no index can change what the rules found
        key = _cache_key(cache, slot[1], slot[2], mode, context) if cache is not None else None
        hit = cache.get_pass(key, slot[1]) if key else None
        if hit is not None:
            found, _, answer = hit
            _merge_recheck(slot[3], answer.get("codes", ()), found, by_code)
        else:
            pending.append((slot, key))
    # the probes are asked here; only the documents they name are checked again, in the pool
    rechecks = []  # (slot, cache key, codes)
    for slot, key in pending:
        codes = needed_codes(slot[4], by_code, index, relative_path(slot[1], here))
        if codes:
            rechecks.append((slot, key, codes))
        elif key:
            cache.put_pass(key, [], {}, {"codes": []})
    settled = parallel_map(_recheck_work, [(s[1], s[2], codes) for s, _, codes in rechecks], jobs, index)
    for slot, key, codes in rechecks:
        fresh = next(settled)
        if key and not fresh.errors:
            cache.put_pass(key, fresh.diagnostics, {}, {"codes": codes})
        _merge_recheck(slot[3], codes, fresh.diagnostics, by_code, fresh.errors)
    try:
        for slot in slots:
            kind, path, settings, result = slot[:4]
            if kind == "jsonl":
                result = lint_path(path, settings, mode, index, sink=lambda ds, p=path: take(p, ds), jobs=jobs)
                result.diagnostics = []
            elif wants_text and result.diagnostics:
                try:
                    result.text = read_source(path).text
                except FileError:
                    pass
            slot[3] = None  # (handed over: the caller may let it go)
            yield result
    finally:
        if cache is not None:
            cache.close()


def _merge_recheck(result, codes, found, by_code, errors=()) -> None:
    """Replace the findings of the rules ``codes`` in ``result`` by ``found`` (theirs with the index)."""
    result.errors.extend(e for e in errors if e not in result.errors)
    if not codes:
        return
    names = {by_code[c].name for c in codes if c in by_code}
    merged = [d for d in result.diagnostics if d.rule not in names] + list(found)
    merged.sort(key=lambda d: (d.start, d.end, d.code))
    result.diagnostics, result.count = merged, len(merged)


STREAM_JSONL_BYTES = 64 * 1024 * 1024


def _is_big(path: str) -> bool:
    """JSONL files this large stream their findings from the main process instead of a worker
    (a worker returns a file's findings all at once)."""
    try:
        return os.path.getsize(path) >= STREAM_JSONL_BYTES
    except OSError:
        return True


def _has_fix(diagnostics, mode) -> bool:
    from .diagnostics import Applicability

    return any(d.fix is not None and (d.fix.applicability is Applicability.SAFE or mode.unsafe) for d in diagnostics)


def _setup_rules(ruleset, settings) -> str:
    """Run the selected rules' set-up hooks once; a rule that cannot run stops the run (exit 2)."""
    from .diagnostics import RuleUnavailable

    versions = []
    for r in ruleset.select(settings.select, settings.extend_select, settings.ignore):
        if r.setup is None:
            continue
        try:
            versions.append(f"{r.code}={r.setup(settings) or ''}")
        except RuleUnavailable as exc:
            raise UserError(f"{r.code} ({r.name}): {exc}") from None
    return ";".join(versions)


def _open_cache(cache_dir, ruleset):
    from .cache import Cache

    directory = cache_dir or os.environ.get("ARTICLELINT_CACHE_DIR") or ".articlelint_cache"
    try:
        return Cache(directory, _cache_salt(ruleset))
    except Exception:  # an unwritable cache folder slows the run down; it never fails it
        return None


def _cache_salt(ruleset) -> str:
    """Tool version plus a fingerprint of the rule packs' files (code and data)."""
    import hashlib

    h = hashlib.blake2b(digest_size=12)
    h.update(__version__.encode())
    roots = set()
    for r in ruleset.rules:
        module = sys.modules.get(r.check.__module__)
        top = sys.modules.get(r.check.__module__.split(".")[0])
        for mod in (module, top):
            file = getattr(mod, "__file__", None)
            if file:
                roots.add(os.path.dirname(file))
    for root in sorted(roots):
        for folder, _, names in os.walk(root):
            for name in sorted(names):
                if name.endswith((".py", ".toml", ".tsv", ".json", ".txt")):
                    try:
                        st = os.stat(os.path.join(folder, name))
                    except OSError:
                        continue
                    h.update(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _cache_key(cache, path, settings, mode, context="") -> Optional[str]:
    from .cache import settings_repr

    facts = (settings_repr(settings), settings.ignores_for(path), os.path.abspath(path), mode.unsafe, context)
    return cache.file_key(path, repr(facts))


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", default=".articlelint/index.json", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the index.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file for every path.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: CPU count].")
def index_command(paths, output, config_file, jobs) -> None:
    """Build and save the corpus index (name and entity spellings across all files).

    Point `index = ".articlelint/index.json"` in the config (or --index) at it, so that a run on a
    few changed files still compares them with the whole corpus.
    """
    from .runner import build_index

    ruleset = _load_ruleset()
    files_obj = _Files(ruleset, config_file, {})
    files, missing = files_obj.discover(paths)
    for line in missing:
        raise UserError(line)
    if not ruleset.collectors:
        raise UserError("no installed rule pack collects corpus facts")
    index = build_index(files, files_obj.settings, ruleset.collectors, jobs or os.cpu_count() or 1)
    try:
        index.save(output)
    except Exception as exc:
        raise UserError(f"{output}: cannot write index: {exc}") from None
    click.echo(f"Indexed {index.documents} document{'s' * (index.documents != 1)} into {output}.", err=True)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "json")), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule: code, name, fix, on by default, summary."""
    from .docs import rules_json, rules_markdown, rules_text

    ruleset = _load_ruleset()
    render = {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[fmt]
    click.echo(render(ruleset.rules), nl=False)


@cli.command("rule")
@click.argument("code_or_name")
def rule_command(code_or_name: str) -> None:
    """Explain one rule (by code or name)."""
    from .docs import explain

    found = _load_ruleset().find(code_or_name)
    if found is None:
        raise UserError(f"unknown rule '{code_or_name}' (see 'lint rules')")
    click.echo(explain(found))


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Console-script entry: turns every user-facing problem into one line and exit status 2."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="lint", standalone_mode=False)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()} (see 'lint --help')", err=True)
        sys.exit(EXIT_ERROR)
    except click.Abort:
        click.echo("error: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ != "BrokenProcessPool":  # (not imported: it would cost every start-up)
            raise
        click.echo("error: a worker process died (out of memory, or a crash in an extension); files are "
                   "written whole or not at all; rerun with -j 1 to find the file", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN)


if __name__ == "__main__":  # pragma: no cover
    main()
