"""Golden files for rule fixtures: expected findings (concise text) and expected fixed text."""

from lint.diagnostics import Applicability
from lint.engine import check_text, fix_text
from lint.config import Settings


def settings_for(code: str) -> Settings:
    return Settings(select=(code,))


def render(diagnostics) -> str:
    lines = []
    for d in diagnostics:
        mark = ""
        if d.fix is not None:
            mark = "[*] " if d.fix.applicability is Applicability.SAFE else "[-] "
        lines.append(f"{d.line}:{d.column}-{d.end_line}:{d.end_column} {d.code} {mark}{d.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def findings_for(text: str, code: str) -> str:
    return render(check_text(text, settings_for(code), path="fixture.txt"))


def fixed_for(text: str, code: str) -> str:
    return fix_text(text, settings_for(code), path="fixture.txt", unsafe=True).text


def fixture_dir_name(code: str) -> str:
    """Fixture folder for a rule code (':' is not allowed in Windows file names)."""
    return code.replace(":", "_")


def code_for_dir(name: str) -> str:
    return name.replace("_", ":")


def engine_missing(rule, settings):
    """Why a rule that fronts an external engine cannot run here (its set-up hook says), or None."""
    from lint.diagnostics import RuleUnavailable

    if rule.setup is None:
        return None
    try:
        rule.setup(settings)
    except RuleUnavailable as exc:
        return str(exc)
    return None
