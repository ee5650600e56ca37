"""Survey import and results speed. Prints figures; never part of the test run.

    createdb -h 127.0.0.1 -U postgres att_bench_surveys
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_bench_surveys
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/surveys_import.py [--rows 15000] [--results-rows 100000]

1. builds a 15,000-row municipal export (the sample repeated) and times a bare openpyxl
   read-only pass, a python-calamine read and the full import (read, resolve, write);
2. re-imports a variant of the file in a fresh process: peak RSS (all memory, calamine's Rust
   buffers included) and the tracemalloc peak (Python objects only);
3. imports a 100,000-row CSV export and times the results (both units).
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from apps.surveys.importer import parse_export  # noqa: E402
from apps.surveys.models import Survey  # noqa: E402
from apps.surveys.selectors import survey_results  # noqa: E402
from apps.surveys.services import survey_import_file  # noqa: E402

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "municipios-2021.xlsx"


def sample_rows() -> tuple[list, list[list]]:
    rows = CalamineWorkbook.from_path(str(SAMPLE)).get_sheet_by_index(0).to_python()
    return rows[0], [r for r in rows[1:] if any(c not in ("", None) for c in r)]


def build_xlsx(path: Path, n: int, salt: int = 0) -> None:
    header, rows = sample_rows()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(header)
    for i in range(n):
        row = list(rows[i % len(rows)])
        row[0] = i + 1 + salt
        sheet.append(row)
    workbook.save(path)


def build_csv(path: Path, n: int) -> None:
    """n rows that all resolve (the sample's accepted rows repeated): n submissions."""
    header, rows = sample_rows()
    survey = Survey.objects.get(slug="municipios-2021")
    accepted = {r.row_number for r in parse_export(survey, SAMPLE).accepted}
    rows = [row for number, row in enumerate(rows, start=2) if number in accepted]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(n):
            row = list(rows[i % len(rows)])
            row[0] = i + 1
            for j in (1, 2):
                row[j] = row[j].strftime("%d/%m/%Y %H:%M:%S")
            writer.writerow(row)


def timed(label: str, func):
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed:8.2f} s")
    return elapsed, value


def openpyxl_pass(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def measure_import(path: Path) -> None:
    survey = Survey.objects.select_related("current_batch").get(slug="municipios-2021")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    tracemalloc.start()
    start = time.perf_counter()
    survey_import_file(survey=survey, path=path)
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"{'import in a fresh process (under tracemalloc)':<48} {elapsed:8.2f} s")
    print(f"{'  peak RSS of that process (Django loaded)':<48} {rss:8.1f} MB (target < 300 MB; "
          f"{baseline:.0f} MB before importing)")
    print(f"{'  peak Python allocations (tracemalloc)':<48} {peak / 1e6:8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=15_000)
    parser.add_argument("--results-rows", type=int, default=100_000)
    parser.add_argument("--measure-import", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_import:
        return measure_import(args.measure_import)
    survey = Survey.objects.get(slug="municipios-2021")
    print(f"database: {connection.vendor}; rows: {args.rows}")
    # Start from the sample as the survey's previous data: the timed import replaces it.
    survey_import_file(survey=survey, path=SAMPLE)
    survey.refresh_from_db()
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "municipios-15000.xlsx"
        build_xlsx(xlsx, args.rows)
        print(f"file: {xlsx.stat().st_size / 1e6:.1f} MB")
        bare, _ = timed("openpyxl read-only pass (bare read)", lambda: openpyxl_pass(xlsx))
        timed("python-calamine read", lambda: CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python())
        full, outcome = timed("full import (read, resolve, write)",
                              lambda: survey_import_file(survey=survey, path=xlsx))
        print(f"  accepted {len(outcome.result.accepted)}, rejected {len(outcome.result.rejected)}; "
              f"ratio to bare read: {full / bare:.2f}x (target <= 1.5x)")

        variant = Path(tmp) / "municipios-15000-b.xlsx"
        build_xlsx(variant, args.rows, salt=1)
        # A fresh process, so that its peak RSS is the import's alone (not openpyxl's or the build's).
        subprocess.run([sys.executable, __file__, "--measure-import", str(variant)], check=True)

        big = Path(tmp) / "municipios-big.csv"
        build_csv(big, args.results_rows)
        survey.refresh_from_db()
        # A 100,000-row CSV weighs ~90 MB: above the 25 MB upload limit, raised here on purpose.
        settings.SURVEY_UPLOAD_MAX_BYTES = 200 * 1024 * 1024
        timed(f"import of {args.results_rows} rows (CSV)", lambda: survey_import_file(survey=survey, path=big))
        survey.refresh_from_db()
        for unit in ("entity", "submission"):
            survey_results(user=None, survey=survey, unit=unit)  # warm the cache of the database
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                result = survey_results(user=None, survey=survey, unit=unit)
                runs.append(time.perf_counter() - start)
            print(f"results unit={unit:<10} ({result['submissions']} submissions) "
                  f"best {min(runs) * 1000:7.0f} ms, median {sorted(runs)[2] * 1000:7.0f} ms (target < 500 ms)")


if __name__ == "__main__":
    main()
