"""articlelint's own rule pack, registered under the ``articlelint.rules`` entry point.

One module per family; word lists and patterns live in ``rules/data/*.toml``.
"""

from lint.registry import Rule

from . import boilerplate, naming, spacing


def _dict_of_str(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


RULES = [obj for module in (boilerplate, spacing, naming) for obj in vars(module).values() if isinstance(obj, Rule)]

# Config tables this pack owns: [tool.articlelint.<section>] key -> (check, description)
SETTINGS = {
    "naming": {
        "prefer": (_dict_of_str, "a table of entity id = preferred form, e.g. {US = \"U.S.\"}"),
    },
}
