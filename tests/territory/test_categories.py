"""Municipal category, PDET and ZOMAC: loaded by DIVIPOLA code with a named source; unknown stays unknown."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from apps.territory.models import Municipality

pytestmark = pytest.mark.django_db


def _csv(tmp_path, text: str):
    path = tmp_path / "categorias.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_categories_and_flags_by_divipola_code(tmp_path):
    path = _csv(tmp_path, "Código;Categoría;PDET;ZOMAC\n25290;2;no;no\n05001;Especial;no;no\n27001;sexta;sí;sí\n")
    call_command("load_municipal_categories", str(path), "--source", "Contaduría General, prueba 2026")
    rows = {m.code: (m.category, m.pdet, m.zomac, m.category_source)
            for m in Municipality.objects.filter(code__in=["25290", "05001", "27001"])}
    assert rows == {"25290": ("2", False, False, "Contaduría General, prueba 2026"),
                    "05001": ("especial", False, False, "Contaduría General, prueba 2026"),
                    "27001": ("6", True, True, "Contaduría General, prueba 2026")}


def test_it_reads_xlsx_through_the_upload_guard(tmp_path):
    book = Workbook()
    book.active.append(["codigo", "categoria"])
    book.active.append([25001, 6])
    path = tmp_path / "categorias.xlsx"
    book.save(path)
    call_command("load_municipal_categories", str(path), "--source", "Prueba")
    assert Municipality.objects.get(code="25001").category == "6"


def test_one_bad_row_changes_nothing_and_names_the_row(tmp_path, capsys):
    path = _csv(tmp_path, "codigo,categoria\n25290,2\n99999,3\n25001,novena\n")
    with pytest.raises(CommandError, match="2 filas con errores"):
        call_command("load_municipal_categories", str(path), "--source", "Prueba")
    err = capsys.readouterr().err
    assert "Fila 3: «99999» no es un código DIVIPOLA" in err
    assert "Fila 4: categoría «novena» desconocida" in err
    assert Municipality.objects.get(code="25290").category == ""


def test_a_source_is_required_and_bad_files_are_refused(tmp_path):
    path = _csv(tmp_path, "codigo,categoria\n25290,2\n")
    with pytest.raises(CommandError, match="fuente"):
        call_command("load_municipal_categories", str(path), "--source", " ")
    pdf = tmp_path / "x.csv"
    pdf.write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(CommandError, match="no es una hoja de cálculo"):
        call_command("load_municipal_categories", str(pdf), "--source", "Prueba")


def test_an_unknown_category_is_shown_as_such():
    muni = Municipality.objects.get(code="25290")
    assert muni.category_label == "sin categoría registrada"
    muni.category = "6"
    assert muni.category_label == "Sexta"
