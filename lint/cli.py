"""The ``lint`` command: a thin face over :mod:`lint.runner` and :mod:`lint.engine`.

Exit status: 0 nothing left to report, 1 findings remain, 2 usage, config or I/O error.
"""

from __future__ import annotations

import os
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import click

from . import __version__

OUTPUT_FORMATS = ("concise", "full", "json", "jsonl")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UserError(Exception):
    """Usage, config or I/O problem: printed as one line on stderr, exit status 2."""


def _split(values: Sequence[str]) -> Optional[List[str]]:
    """``--select B,W --select N001`` -> ['B', 'W', 'N001']; None when the option was not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class DefaultGroup(click.Group):
    """``lint PATH...`` runs ``check``; ``lint rules`` and ``lint rule CODE`` are subcommands.

    A folder that shares a subcommand's name can be linted as ``lint ./rules``.
    """

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if not args or args[0] not in self.commands:
            if args[:1] == ["--version"]:
                return super().parse_args(ctx, args)
            args = ["check"] + list(args)
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="articlelint")
def cli() -> None:
    """articlelint: find and fix scraping artifacts in news articles."""


@cli.command("check", epilog="Other commands: 'lint rules' lists every rule; 'lint rule CODE' explains one.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files back.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (guesses); implies nothing without --fix or --diff.")
@click.option("--diff", is_flag=True, help="Print the unified diff of what --fix would change; write nothing.")
@click.option("--select", multiple=True, metavar="CODES", help="Rules to run (codes, prefixes or names; comma-separated). Replaces the config's select.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to skip.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="concise", show_default=True)
@click.option("--statistics", is_flag=True, help="Print a count of findings per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file for every path.")
@click.option("--stdin-filename", help="Name to report (and to find config for) when reading '-' from stdin.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
def check(paths: Tuple[str, ...], fix: bool, unsafe_fixes: bool, diff: bool, select: Tuple[str, ...],
          extend_select: Tuple[str, ...], ignore: Tuple[str, ...], output_format: str, statistics: bool,
          exit_zero: bool, config_file: Optional[str], stdin_filename: Optional[str], quiet: bool) -> None:
    """Check articles (files or folders; '-' reads stdin) and optionally fix them."""
    from .config import ConfigError, ConfigResolver, check_selectors
    from .files import FileError, discover, read_stdin
    from .registry import RuleError, load_rules
    from .reporters import REPORTERS, TEXT_FORMATS, statistics as print_statistics, summary
    from .runner import FileResult, Mode, process_path, process_source

    out = click.get_text_stream("stdout")
    try:
        ruleset = load_rules()
    except RuleError as exc:
        raise UserError(str(exc)) from None
    overrides = {"select": _split(select), "ignore": _split(ignore), "extend_select": _split(extend_select)}
    for key, values in overrides.items():
        for sel in values or ():
            if not ruleset.is_selector(sel):
                raise UserError(f"--{key.replace('_', '-')}: unknown rule selector '{sel}' (see 'lint rules')")
    try:
        resolver = ConfigResolver(ruleset.settings, config_file, overrides)
    except ConfigError as exc:
        raise UserError(str(exc)) from None

    mode = Mode(fix=fix, unsafe=unsafe_fixes, diff=diff)
    results: List[FileResult] = []
    errors: List[str] = []

    def settings_for(path: str):
        settings = resolver.for_path(path)
        check_selectors(settings, ruleset.is_selector)
        return settings

    try:
        if list(paths) == ["-"]:
            name = stdin_filename or "-"
            try:
                source = read_stdin(name)
            except FileError as exc:
                raise UserError(str(exc)) from None
            settings = settings_for(name if stdin_filename else os.path.join(os.getcwd(), "-"))
            result = process_source(source, settings, mode, write=False)
            results.append(result)
            if fix and not diff and result.error is None:
                # ruff's convention: the fixed text goes to stdout, findings to stderr
                out.write(result.text if result.text is not None else source.text)
                out = click.get_text_stream("stderr")
        else:
            if "-" in paths:
                raise UserError("'-' (stdin) cannot be combined with other paths")
            targets = list(paths) or ["."]
            files, missing = discover(
                targets,
                extensions_for=lambda folder: settings_for(os.path.join(folder, "x")).extensions,
                is_excluded=lambda p: resolver.for_path(p).is_excluded(p),
            )
            errors.extend(missing)
            for path in files:
                results.append(process_path(path, settings_for(path), mode))
    except ConfigError as exc:
        raise UserError(str(exc)) from None

    diagnostics = [d for r in results for d in r.diagnostics]
    diagnostics.sort(key=lambda d: d.sort_key())
    fixed = sum(r.fixed for r in results)
    for r in results:
        if r.error:
            errors.append(r.error)
        if r.note and not quiet:
            click.echo(f"note: {r.note}", err=True)

    if diff:
        changed = [r for r in results if r.diff]
        for r in changed:
            out.write(r.diff)
        for line in errors:
            click.echo(f"error: {line}", err=True)
        if not quiet:
            n = len(changed)
            click.echo(f"{n} file{'s' * (n != 1)} would be changed." if n else "No fixes to apply.", err=True)
        sys.exit(EXIT_ERROR if errors else (EXIT_FINDINGS if changed and not exit_zero else EXIT_CLEAN))

    if statistics:
        print_statistics(diagnostics, out)
    else:
        sources: Dict[str, str] = {r.path: r.text for r in results if r.text is not None}
        REPORTERS[output_format](diagnostics, out, sources=sources)
    if output_format in TEXT_FORMATS and not quiet and (diagnostics or fixed or not errors):
        for line in summary(diagnostics, fixed):
            out.write(line + "\n")
    for line in errors:
        click.echo(f"error: {line}", err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "json")), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, default=True, hidden=True)
def rules_command(fmt: str, show_all: bool) -> None:
    """List every rule: code, name, fix, on by default, summary."""
    from .docs import rules_json, rules_markdown, rules_text
    from .registry import RuleError, load_rules

    try:
        ruleset = load_rules()
    except RuleError as exc:
        raise UserError(str(exc)) from None
    render = {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[fmt]
    click.echo(render(ruleset.rules), nl=False)


@cli.command("rule")
@click.argument("code_or_name")
def rule_command(code_or_name: str) -> None:
    """Explain one rule (by code or name)."""
    from .docs import explain
    from .registry import RuleError, load_rules

    try:
        ruleset = load_rules()
    except RuleError as exc:
        raise UserError(str(exc)) from None
    found = ruleset.find(code_or_name)
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
        hint = f" (see 'lint {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.info_name not in (None, "lint") else " (see 'lint --help')"
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
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
    sys.exit(EXIT_CLEAN)


if __name__ == "__main__":  # pragma: no cover
    main()
