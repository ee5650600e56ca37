"""The production profile refuses to start without what a real deployment must say."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "agenda-att.example.gov.co",
    "SITE_URL": "https://agenda-att.example.gov.co/",
    "EMAIL_HOST": "smtp.example.gov.co",
}


SCRIPT = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in COMPLETE and k not in ("DEBUG", "EMAIL_BACKEND")}
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT, env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, timeout=60,
    )


def test_it_starts_with_every_production_setting_and_trims_the_site_url():
    done = _start(COMPLETE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "https://agenda-att.example.gov.co"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST"])
def test_it_refuses_to_start_without(missing):
    done = _start({k: v for k, v in COMPLETE.items() if k != missing})
    assert done.returncode != 0
    assert f"Set the {missing} environment variable" in done.stderr
