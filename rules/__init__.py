"""articlelint's own rule pack, registered under the ``articlelint.rules`` entry point.

One module per family (``rules/<family>.py``); word lists and patterns live in
``rules/data/*.toml``. Each family module may define ``SETTINGS`` (the config tables it owns)
and ``COLLECTORS`` (corpus-wide facts); this package gathers them for the engine.
"""

from importlib import import_module
from pkgutil import iter_modules

from lint.registry import Rule

FAMILY_MODULES = sorted(m.name for m in iter_modules(__path__) if not m.name.startswith("_"))

RULES = []
SETTINGS = {}
COLLECTORS = []
for _name in FAMILY_MODULES:
    _module = import_module(f"{__name__}.{_name}")
    RULES.extend(obj for obj in vars(_module).values() if isinstance(obj, Rule))
    SETTINGS.update(getattr(_module, "SETTINGS", {}))
    COLLECTORS.extend(getattr(_module, "COLLECTORS", ()))
