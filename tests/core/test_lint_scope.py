"""`make lint` type-checks every module that writes or reads data, however an app splits them
(services_<subject>.py, selectors_<subject>.py), plus the indicators and the activity record."""

import re
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _mypy_patterns() -> list[str]:
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if re.search(r"/bin/mypy\s", line))
    return line.split("/bin/mypy", 1)[1].split()


def test_it_type_checks_every_service_and_selector_module():
    patterns = _mypy_patterns()
    modules = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "apps").glob("*/*.py"))
               if re.match(r"(services|selectors)(_\w+)?\.py$", p.name)]
    assert modules
    unchecked = [m for m in modules if not any(fnmatch(m, pattern) for pattern in patterns)]
    assert unchecked == []


def test_it_type_checks_the_indicators_and_the_activity_record():
    patterns = _mypy_patterns()
    for module in ("apps/monitoring/indicators.py", "apps/core/activity.py", "apps/core/outbox.py"):
        assert any(fnmatch(module, pattern) for pattern in patterns), module
