import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ARTICLELINT_SHARED", ROOT.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite the golden files of rule fixtures")


@pytest.fixture(scope="session")
def update_goldens(request):
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def lint_exe():
    """The installed `lint` console script (next to the running interpreter, else on PATH)."""
    candidate = Path(sys.executable).with_name("lint")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("lint")
    if not found:
        pytest.fail("the `lint` executable is not installed; run `pip install -e '.[test]'` first")
    return found


@pytest.fixture(scope="session")
def shared():
    if not SHARED.is_dir():
        pytest.skip("../shared (corpus and reference data) is not present")
    return SHARED
