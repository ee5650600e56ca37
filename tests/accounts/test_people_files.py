"""The people CSV goes through the upload guard: hostile files get a Spanish message, Excel's CSVs work."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import User
from apps.accounts.services import users_import_csv
from tests.spreadsheets import one_cell_xlsx

pytestmark = pytest.mark.django_db

ROWS = "email;organization;role;full_name\nlucía@tunja.gov.co;15001;editor;Lucía Peña\n"


def test_a_windows_1252_csv_with_semicolons_keeps_its_accents():
    result = users_import_csv(actor=None, content=ROWS.replace("lucía@", "lucia@").encode("cp1252"))
    assert result.errors == []
    assert User.objects.get(email="lucia@tunja.gov.co").full_name == "Lucía Peña"


def test_a_cell_over_128_kib_is_a_message_not_a_500(client_as, carla):
    content = ("email,organization,role,full_name\nx@tunja.gov.co,15001,editor," + "x" * 200_000 + "\n").encode()
    response = client_as(carla).post("/cuentas/personas/importar/", {"file": SimpleUploadedFile("u.csv", content)})
    assert response.status_code == 200
    assert "supera el tamaño máximo de 128 KB" in response.content.decode()
    assert not User.objects.filter(email="x@tunja.gov.co").exists()


def test_the_grid_spanning_workbook_is_refused_fast_as_not_a_csv():
    started = time.monotonic()
    result = users_import_csv(actor=None, content=one_cell_xlsx("XFD1048576"))
    assert time.monotonic() - started < 5
    assert result.errors == [(0, "El archivo debe ser .csv.")]


def test_too_many_rows_or_columns_are_refused():
    many = b"email,organization,role\n" + b"a@b.co,15001,editor\n" * 5_001
    assert "máximo es 5.000" in users_import_csv(actor=None, content=many).errors[0][1]
    wide = b"email,organization,role\n" + b"a@b.co,15001,editor" + b",x" * 30 + b"\n"
    assert "La fila 2 tiene 33 columnas" in users_import_csv(actor=None, content=wide).errors[0][1]


@pytest.mark.parametrize("name, reason", [
    ('"Lucía\nBcc: todos@x.co"', "Escriba el nombre completo en una sola línea."),
    ('"Lucía\u2028Peña"', "Escriba el nombre completo en una sola línea."),
    ("Lucía\x1bPeña", "El nombre completo trae caracteres de control (como el carácter nulo)."),
    ("L" * 151, "El nombre completo pasa de 150 caracteres."),
])
def test_a_full_name_that_would_break_an_email_is_a_row_error(name, reason):
    # A quoted CSV cell keeps its line breaks; the name reaches e-mail greetings and headers.
    content = f"email,organization,role,full_name\nlucia@tunja.gov.co,15001,editor,{name}\n".encode()
    assert users_import_csv(actor=None, content=content).errors == [(2, reason)]
    assert not User.objects.filter(email="lucia@tunja.gov.co").exists()


def test_the_import_command_and_page_refuse_a_name_on_two_lines(client_as, carla, tmp_path):
    from django.core.management import CommandError, call_command

    content = b'email,organization,role,full_name\nlucia@tunja.gov.co,15001,editor,"Luc\xc3\xada\r\nPe\xc3\xb1a"\n'
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_users", str(path))
    response = client_as(carla).post("/cuentas/personas/importar/", {"file": SimpleUploadedFile("p.csv", content)})
    assert "Escriba el nombre completo en una sola línea." in response.content.decode()
    assert not User.objects.filter(email="lucia@tunja.gov.co").exists()
