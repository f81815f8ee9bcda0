"""articlelint's engine: documents, rules, diagnostics, fixes, config, files, runner, reporters, CLI.

The Python API (no click needed)::

    from lint import check_text, fix_text
    diagnostics = check_text(open("article.txt").read())
    result = fix_text(text)          # result.text, result.diagnostics

Names are imported lazily so that ``import lint`` stays cheap for the command line.
"""

__version__ = "0.1.0"

__all__ = [
    "check_text", "fix_text", "Settings", "Document", "Diagnostic", "Finding", "Fix", "Edit",
    "Applicability", "Severity", "rule", "Rule", "load_rules", "RuleUnavailable", "RuleFileError", "__version__",
]

_LAZY = {
    "check_text": "engine", "fix_text": "engine", "Settings": "config", "Document": "document",
    "Diagnostic": "diagnostics", "Finding": "diagnostics", "Fix": "diagnostics", "Edit": "diagnostics",
    "Applicability": "diagnostics", "Severity": "diagnostics", "rule": "registry", "Rule": "registry",
    "load_rules": "registry", "RuleUnavailable": "diagnostics", "RuleFileError": "diagnostics",
}


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
