"""articlelint as steps of datatrove pipelines (Local, Slurm and Ray executors).

    pip install 'articlelint[datatrove]'

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from lint.datatrove import ArticlelintAnnotator, ArticlelintFilter, ArticlelintFixer

    LocalPipelineExecutor([
        JsonlReader("data/"),                        # {"id", "text", "title", ...} per line
        ArticlelintFixer({"ignore": ["G"]}),         # safe fixes written back into the text
        ArticlelintFilter(max_per_1000_words={"E": 5}, max_boilerplate_share=0.3),
        ArticlelintAnnotator(),                      # metadata["articlelint"] = {"counts": ..., "n": ...}
        JsonlWriter("out/"),
    ], tasks=2).run()

Every step calls :func:`lint.api.lint_record`, the function the CLI's JSONL reader calls, so a
record gets the same findings here as from ``lint data.jsonl``. The title is read from the
document's metadata (``title_key``, where datatrove's readers put the record's other fields).
Settings are a :class:`~lint.config.Settings` or a dict shaped like the ``[tool.articlelint]``
table (validated when the step is built, so a typo fails before a cluster job starts); both
pickle. Rules and the corpus index load once per worker process, on first use in ``run()``.

The corpus index (one spelling across many documents) is two stages, as ``lint index`` then
``lint --index``: :class:`ArticlelintIndexShard` writes one index shard per task with the rule
packs' collectors, :class:`ArticlelintIndexMerge` (or :func:`merge_index_shards`) adds the shards
into one index file in the format of ``lint index``, and the annotator, fixer or filter of the
next job reads it with ``index_path=``. Documents are named in the index by their datatrove id.

Only this module imports datatrove; the core never does.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from datatrove.data import Document as DatatroveDocument, DocumentsPipeline
from datatrove.io import DataFileLike, DataFolderLike, get_datafolder, open_file
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.utils.logging import logger

from .api import RecordResult, compose, lint_record
from .config import ConfigError, Settings, check_selectors, settings_from_mapping
from .corpus import Collector, CorpusIndex, collect_facts, index_key

SettingsLike = Union[Settings, Mapping[str, Any], None]
METADATA_KEY = "articlelint"
SETTINGS_SOURCE = "<datatrove step settings>"

__all__ = [
    "ArticlelintAnnotator", "ArticlelintFixer", "ArticlelintFilter", "ArticlelintIndexShard",
    "ArticlelintIndexMerge", "merge_index_shards", "resolve_settings", "summarize",
]


def resolve_settings(settings: SettingsLike = None, root: Optional[str] = None) -> Settings:
    """A Settings from a Settings, a dict shaped like ``[tool.articlelint]``, or None (defaults).

    A dict is validated like a config file (unknown keys, wrong types, unknown rule selectors
    raise :class:`~lint.config.ConfigError`); relative paths in it are relative to ``root``
    (default: the current folder).
    """
    from .registry import load_rules

    root = os.path.abspath(root or os.getcwd())
    if settings is None:
        return Settings(root=root)
    if isinstance(settings, Settings):
        resolved = settings
    elif isinstance(settings, Mapping):
        resolved = settings_from_mapping(dict(settings), root=root, source=SETTINGS_SOURCE, table="the top level",
                                         schema=load_rules().settings)
    else:
        raise TypeError(f"settings must be a lint.config.Settings or a dict, not {type(settings).__name__}")
    check_selectors(resolved, load_rules().is_selector)
    return resolved


def _with_section(settings: Settings, name: str, values: Mapping[str, Any]) -> Settings:
    """``settings`` with keys merged into one rule-pack table (validated by the pack's schema)."""
    from dataclasses import replace

    from .registry import load_rules

    schema = load_rules().settings
    if name not in schema:
        raise ConfigError(f"{SETTINGS_SOURCE}: no installed rule pack reads a [{name}] table")
    merged = {**settings.section(name), **values}
    checked = settings_from_mapping({name: merged}, root=settings.root, source=SETTINGS_SOURCE,
                                    table="the top level", schema=schema)
    others = tuple(item for item in settings.sections if item[0] != name)
    return replace(settings, sections=others + checked.sections)


def _body_lines(text: str) -> List[int]:
    """1-based numbers of the non-blank lines of a text."""
    return [i for i, line in enumerate(text.split("\n"), 1) if line.strip()]


def summarize(result: RecordResult, findings: bool = False, text_field: str = "text") -> Dict[str, Any]:
    """The annotation of one document: finding counts per code and the sizes thresholds use.

    ``words`` counts the words of the title and text (whitespace-separated), ``lines`` the
    non-blank lines of the text, ``boilerplate_lines`` those of them that a B rule flags.
    """
    from .reporters import diagnostic_to_dict

    counts = Counter(d.code for d in result.diagnostics)
    nonblank = set(_body_lines(result.text))
    flagged = set()
    for d in result.diagnostics:
        if d.code.startswith("B") and dict(d.extra).get("field", text_field) == text_field:
            last = d.end_line - 1 if d.end_line > d.line and d.end_column == 1 else d.end_line
            flagged.update(n for n in range(d.line, last + 1) if n in nonblank)
    out: Dict[str, Any] = {
        "n": len(result.diagnostics),
        "counts": dict(sorted(counts.items())),
        "words": len(result.text.split()) + (len(result.title.split()) if result.title else 0),
        "lines": len(nonblank),
        "boilerplate_lines": len(flagged),
    }
    if result.fixed:
        out["fixed"] = result.fixed
    if result.errors:
        out["errors"] = list(result.errors)
    if findings:
        out["findings"] = [diagnostic_to_dict(d) for d in result.diagnostics]
    return out


class _ArticlelintStep:
    """What every articlelint step shares: settings, per-process rules and index, one lint call."""

    def _setup(self, settings: SettingsLike, title_key: Optional[str], index_path: Optional[DataFileLike],
               root: Optional[str], metadata_key: str, text_field: str = "text") -> None:
        self.settings = resolve_settings(settings, root)
        self.title_key = title_key or None
        self.index_path = index_path if index_path is not None else self.settings.index
        self.metadata_key = metadata_key
        self.text_field = text_field
        self._reset()

    def _reset(self) -> None:
        self._rules: Dict[Optional[str], list] = {}
        self._index: Any = None
        self._index_loaded = False

    # Loaded state never travels to workers: each process loads rules and index itself.
    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        for key in ("_rules", "_index", "_index_loaded"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset()

    def _rules_for(self, doc: DatatroveDocument) -> list:
        from .engine import select_rules

        # per-file-ignores match the document's source file; without them one rule list serves all
        source = doc.metadata.get("file_path") if self.settings.per_file_ignores else None
        key = source if isinstance(source, str) else None
        if key not in self._rules:
            rules = select_rules(self.settings, path=key)
            for r in rules:  # set-up hooks once per process, as the CLI once per run
                if r.setup is not None and not any(r in known for known in self._rules.values()):
                    r.setup(self.settings)  # RuleUnavailable (no grammar backend...) fails the task
            self._rules[key] = rules
        return self._rules[key]

    def _corpus_index(self) -> Any:
        if not self._index_loaded:
            self._index_loaded = True
            if self.index_path:
                with open_file(self.index_path, "rt", encoding="utf-8") as handle:
                    self._index = CorpusIndex.from_json(handle.read(), str(self.index_path))
                logger.info(f"articlelint: corpus index of {self._index.documents} documents from {self.index_path}")
        return self._index

    def _title(self, doc: DatatroveDocument) -> Optional[str]:
        title = doc.metadata.get(self.title_key) if self.title_key else None
        return title if isinstance(title, str) else None

    def _lint(self, doc: DatatroveDocument, fix: bool = False, unsafe: bool = False) -> Optional[RecordResult]:
        """Lint one document; None (counted, logged) when a rule crashed on it."""
        from .engine import RuleCrash

        try:
            result = lint_record(doc.text, self._title(doc), self.settings, fix=fix, unsafe=unsafe,
                                 index=self._corpus_index(), path=str(doc.id), text_field=self.text_field,
                                 title_field=self.title_key or "title", rules=self._rules_for(doc))
        except RuleCrash as exc:
            self.stat_update("rule_crashes")
            logger.warning(f"articlelint: {exc}")
            doc.metadata[self.metadata_key] = {"error": str(exc)}
            return None
        if result.errors:
            self.stat_update("rule_errors", value=len(result.errors))
        return result

    def _annotate(self, doc: DatatroveDocument, result: RecordResult, findings: bool) -> Dict[str, Any]:
        summary = summarize(result, findings, self.text_field)
        doc.metadata[self.metadata_key] = summary
        if summary["n"]:
            self.stat_update("documents_with_findings")
        for code, count in summary["counts"].items():
            self.stat_update(f"findings_{code}", value=count)
        return summary


class ArticlelintAnnotator(_ArticlelintStep, PipelineStep):
    """Adds ``metadata["articlelint"] = {"n", "counts", "words", "lines", "boilerplate_lines"}``
    to each document (and ``"findings"``, the CLI's JSON objects, with ``findings=True``).

    Args:
        settings: a Settings or a dict like ``[tool.articlelint]`` ({"select": ["B", "W"]}).
        findings: also store every finding as a dict (line/column in its field).
        title_key: the metadata key holding the title ("" or None: the text has none).
        index_path: a corpus index (``lint index`` or :func:`merge_index_shards`; local or fsspec URL).
        root: the folder relative paths in ``settings`` refer to (default: the current one).
    """

    name = "articlelint annotator"
    type = "📝 - ANNOTATOR"

    def __init__(self, settings: SettingsLike = None, *, findings: bool = False, title_key: Optional[str] = "title",
                 index_path: Optional[DataFileLike] = None, root: Optional[str] = None,
                 metadata_key: str = METADATA_KEY):
        super().__init__()
        self._setup(settings, title_key, index_path, root, metadata_key)
        self.findings = findings

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data or ():
            self.stat_update("documents")
            with self.track_time():
                result = self._lint(doc)
                if result is not None:
                    self._annotate(doc, result, self.findings)
            yield doc


class ArticlelintFixer(_ArticlelintStep, PipelineStep):
    """Writes the fixed text (and title, into its metadata key) back into each document.

    Safe fixes only, unless ``unsafe=True`` (guesses such as a likely name spelling). With
    ``annotate=True`` the findings that remain after fixing are stored as the annotator does,
    plus ``"fixed"`` (fixes applied).
    """

    name = "articlelint fixer"
    type = "✂️ - FORMAT"

    def __init__(self, settings: SettingsLike = None, *, unsafe: bool = False, annotate: bool = False,
                 findings: bool = False, title_key: Optional[str] = "title", index_path: Optional[DataFileLike] = None,
                 root: Optional[str] = None, metadata_key: str = METADATA_KEY):
        super().__init__()
        self._setup(settings, title_key, index_path, root, metadata_key)
        self.unsafe = unsafe
        self.annotate = annotate
        self.findings = findings

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data or ():
            self.stat_update("documents")
            with self.track_time():
                result = self._lint(doc, fix=True, unsafe=self.unsafe)
                if result is not None:
                    if result.fixed:
                        doc.text = result.text
                        if result.title is not None and self.title_key:
                            doc.metadata[self.title_key] = result.title
                        self.stat_update("fixed_documents")
                        self.stat_update("fixes", value=result.fixed)
                    if self.annotate:
                        self._annotate(doc, result, self.findings)
            yield doc


class ArticlelintFilter(_ArticlelintStep, BaseFilter):
    """Drops documents above thresholds; each reason is counted in datatrove's stats
    (``dropped_<reason>``, and ``over_<reason>`` for every threshold a document exceeds).

    Args:
        max_per_1000_words: {selector: rate}: drop when the findings whose code starts with the
            selector ("E", "W001"; "ALL" for every code) exceed ``rate`` per 1,000 words. Words are
            counted as at least ``min_words``, so one finding in a 20-word stub is no high rate.
        max_boilerplate_share: drop when B-flagged lines / non-blank lines of the text exceed it.
        drop_codes: drop on any finding of these codes or prefixes (reason ``has_<selector>``).
        spin_threshold: drop likely spun articles: sets the spin pack's ``[spin] threshold`` (spin
            score = weighted distinct spinner fingerprints per 1,000 words) and drops on S002.
        from_metadata: judge the ``metadata["articlelint"]`` an earlier annotator wrote (its
            settings apply) instead of linting again.
        annotate: store the annotation on kept and dropped documents (default: when linting here).
        exclusion_writer: a datatrove writer for the dropped documents (with ``filter_reason``).
    """

    name = "articlelint filter"

    def __init__(self, settings: SettingsLike = None, *, max_per_1000_words: Optional[Mapping[str, float]] = None,
                 max_boilerplate_share: Optional[float] = None, drop_codes: Sequence[str] = (),
                 spin_threshold: Optional[float] = None, min_words: int = 100, from_metadata: bool = False,
                 annotate: Optional[bool] = None, title_key: Optional[str] = "title",
                 index_path: Optional[DataFileLike] = None, root: Optional[str] = None,
                 metadata_key: str = METADATA_KEY, exclusion_writer=None):
        super().__init__(exclusion_writer)
        self._setup(settings, title_key, index_path, root, metadata_key)
        self.max_per_1000_words = {str(k).upper(): float(v) for k, v in (max_per_1000_words or {}).items()}
        self.max_boilerplate_share = max_boilerplate_share
        self.drop_codes = tuple(str(c).upper() for c in drop_codes)
        self.spin_threshold = spin_threshold
        if spin_threshold is not None:
            self.settings = _with_section(self.settings, "spin", {"threshold": spin_threshold})
        self.min_words = max(int(min_words), 1)
        self.from_metadata = from_metadata
        self.annotate = (not from_metadata) if annotate is None else annotate

    def _summary(self, doc: DatatroveDocument) -> Optional[Dict[str, Any]]:
        if self.from_metadata:
            summary = doc.metadata.get(self.metadata_key)
            if isinstance(summary, dict) and "counts" in summary:
                return summary
            self.stat_update("not_annotated")
        result = self._lint(doc)
        if result is None:
            return None
        if self.annotate:
            return self._annotate(doc, result, False)
        return summarize(result, False, self.text_field)

    def reasons(self, summary: Mapping[str, Any]) -> List[str]:
        """Every threshold ``summary`` exceeds, as reason names."""
        counts: Mapping[str, int] = summary.get("counts", {})
        out: List[str] = []
        if self.spin_threshold is not None and counts.get("S002"):
            out.append("spin_score")
        for selector in self.drop_codes:
            if any(code.startswith(selector) for code in counts):
                out.append(f"has_{selector}")
        words = max(int(summary.get("words", 0)), self.min_words)
        for selector, limit in self.max_per_1000_words.items():
            found = sum(n for code, n in counts.items() if selector == "ALL" or code.startswith(selector))
            if 1000.0 * found / words > limit:
                out.append(f"{selector}_per_1000_words")
        if self.max_boilerplate_share is not None and summary.get("lines"):
            if summary.get("boilerplate_lines", 0) / summary["lines"] > self.max_boilerplate_share:
                out.append("boilerplate_share")
        return out

    def filter(self, doc: DatatroveDocument) -> Union[bool, Tuple[bool, str]]:
        summary = self._summary(doc)
        if summary is None:  # a rule crashed on it: keep it (counted as rule_crashes)
            return True
        reasons = self.reasons(summary)
        for reason in reasons:
            self.stat_update(f"over_{reason}")
        if reasons:
            return False, reasons[0]
        return True


# -- the corpus index as two stages ------------------------------------------------------------------
def _shard_name(template: str, rank: int) -> str:
    return template.replace("${rank}", f"{rank:05d}")


class ArticlelintIndexShard(_ArticlelintStep, PipelineStep):
    """Stage 1 of the corpus index: the facts of this task's documents, as one index shard.

    Writes ``output_filename`` (``${rank}`` = the task's rank) into ``output_folder`` (a local
    folder, an fsspec URL or a DataFolder) when the task's documents are done; documents pass
    through unchanged, so the step can sit in a pipeline that does other work. ``collectors``
    default to those of the installed rule packs (``load_rules().collectors``, as ``lint index``).
    """

    name = "articlelint index shard"
    type = "📇 - INDEX"

    def __init__(self, output_folder: DataFolderLike, settings: SettingsLike = None, *,
                 collectors: Optional[Sequence[Collector]] = None, output_filename: str = "${rank}.json",
                 title_key: Optional[str] = "title", root: Optional[str] = None):
        super().__init__()
        self._setup(settings, title_key, None, root, METADATA_KEY)
        self.output_folder = get_datafolder(output_folder)
        self.collectors = tuple(collectors) if collectors is not None else None
        self.output_filename = output_filename

    def _collectors(self) -> Sequence[Collector]:
        if self.collectors is not None:
            return self.collectors
        from .registry import load_rules

        return tuple(load_rules().collectors)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from .document import Document
        from .engine import Context

        collectors = self._collectors()
        if not collectors:
            logger.warning("articlelint: no collector (no installed rule pack collects corpus facts); "
                           "the index shard will be empty")
        index = CorpusIndex()
        for c in collectors:
            index.versions[c.name] = c.version
        context = Context(self.settings)
        for doc in data or ():
            with self.track_time():
                composed, _, _ = compose(doc.text, self._title(doc))
                path = str(doc.id)
                index.add(index_key(path), collect_facts(Document(composed, path, context), collectors))
            self.stat_update("indexed")
            yield doc
        with self.output_folder.open(_shard_name(self.output_filename, rank), "wt", encoding="utf-8") as out:
            out.write(index.to_json())


def merge_index_shards(shards_folder: DataFolderLike, output: Optional[DataFileLike] = None,
                       glob_pattern: str = "*.json") -> CorpusIndex:
    """Add the index shards of stage 1 into one index (saved to ``output`` when given).

    The file has the format of ``lint index``: ``lint --index`` and ``index_path=`` read it. Shards
    built by different collector versions do not mix (ValueError).
    """
    folder = get_datafolder(shards_folder)
    names = folder.list_files(glob_pattern=glob_pattern, recursive=False)
    if not names:
        raise ValueError(f"{folder.path}: no index shards ({glob_pattern})")
    merged = CorpusIndex()
    for name in names:
        with folder.open(name, "rt", encoding="utf-8") as handle:
            shard = CorpusIndex.from_json(handle.read(), folder.resolve_paths(name))
        clash = {k: (v, shard.versions[k]) for k, v in merged.versions.items()
                 if k in shard.versions and shard.versions[k] != v}
        if clash:
            raise ValueError(f"{name}: collector versions differ from the other shards: {clash}")
        merged.merge(shard)
    if output is not None:
        if isinstance(output, str) and "://" not in output:
            merged.save(output)  # atomic on a local disk
        else:
            with open_file(output, "wt", encoding="utf-8") as out:
                out.write(merged.to_json())
    return merged


class ArticlelintIndexMerge(PipelineStep):
    """The merge between the two stages, as a pipeline step for a one-task job
    (``depends=`` the stage-1 job); passes documents through if it is given any."""

    name = "articlelint index merge"
    type = "📇 - INDEX"

    def __init__(self, shards_folder: DataFolderLike, output: DataFileLike, glob_pattern: str = "*.json"):
        super().__init__()
        self.shards_folder = shards_folder
        self.output = output
        self.glob_pattern = glob_pattern

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data:
            yield from data
        if rank == 0:
            with self.track_time("index"):
                index = merge_index_shards(self.shards_folder, self.output, self.glob_pattern)
            self.stat_update("indexed_documents", value=index.documents, unit="index")
            logger.info(f"articlelint: merged an index of {index.documents} documents into {self.output}")
