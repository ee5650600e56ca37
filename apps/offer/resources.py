"""Spreadsheet export and import of the catalogue (django-import-export).

Both use the same Spanish column names, so an exported file is a ready template for import.
Downloads go through `apps.core.exports` (formula-safe cells, real dates). Import creates new
drafts for the importing organisation, or, for a row with an `id`, updates that service when it
belongs to the importing organisation (another entity's id is a row error, never an update).
"""

import tempfile

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from apps.core.text import normalize, unsafe_cell
from apps.core.uploads import BadFile, check_spreadsheet, csv_rows, decode_csv, parse_in_child, xlsx_first_sheet
from apps.core.vocabulary import Capacity, Modality, MunicipalCategory
from apps.offer.models import (
    SERVICE_FIELDS,
    AssistanceType,
    Audience,
    CostBand,
    Delivery,
    Service,
)
from apps.offer.services import service_validate
from apps.territory.models import Department, Sector

SEPARATOR = ";"


def _split(value, commas: bool = False) -> list[str]:
    """Values separated by «;» (and by commas too for choices, whose labels have none)."""
    if value is None:
        return []
    text = str(value).replace(",", SEPARATOR) if commas else str(value)
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


class ChoiceWidget(widgets.Widget):
    """One choice, typed as its value or its Spanish label (accents and case ignored)."""

    def __init__(self, choices, required=True):
        self.choices = [(str(v), str(label)) for v, label in choices]
        self.required = required
        super().__init__()

    def lookup(self, raw) -> str:
        key = normalize(raw)
        for value, label in self.choices:
            if key in (normalize(value), normalize(label)):
                return value
        options = ", ".join(label for _v, label in self.choices)
        raise ValueError(_("«%(v)s» no es una opción válida. Use: %(o)s.") % {"v": raw, "o": options})

    def clean(self, value, row=None, **kwargs):
        if value in (None, "") or not str(value).strip():
            if self.required:
                raise ValueError(_("Este dato es obligatorio."))
            return ""
        return self.lookup(str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), value or "")


class ChoiceSetWidget(ChoiceWidget):
    """Several choices separated by «;»."""

    def clean(self, value, row=None, **kwargs):
        return [self.lookup(part) for part in _split(value, commas=True)]

    def render(self, value, obj=None, **kwargs):
        labels = dict(self.choices)
        return "; ".join(labels.get(v, v) for v in value or [])


class StrictManyWidget(widgets.ManyToManyWidget):
    """Sectors or departments by code or name; an unknown one is a row error, never dropped."""

    def __init__(self, model, keys, label_field):
        super().__init__(model, separator=SEPARATOR)
        self.keys = keys
        self.label_field = label_field

    def clean(self, value, row=None, **kwargs):
        if not _split(value):
            return self.model.objects.none()
        index = {}
        for obj in self.model.objects.all():
            for key in self.keys:
                index[normalize(getattr(obj, key))] = obj
        found, unknown = [], []
        for part in _split(value):
            obj = index.get(normalize(part))
            (found.append(obj) if obj else unknown.append(part))
        if unknown:
            raise ValueError(_("No se reconoce: %(v)s.") % {"v": ", ".join(unknown)})
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(getattr(o, self.label_field) for o in value.all())


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        key = normalize(value)
        if key in ("si", "sí", "s", "x", "1", "true", "verdadero", "todo el pais"):
            return True
        if key in ("", "no", "n", "0", "false", "falso"):
            return False
        raise ValueError(_("Escriba «sí» o «no»."))

    def render(self, value, obj=None, **kwargs):
        return _("sí") if value else _("no")


class PlainWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        # The export neutralised formulas with an apostrophe (apps.core.exports): take it off.
        return "" if value is None else unsafe_cell(str(value).strip())


def _f(attribute, column, widget=None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget or PlainWidget())


EDITABLE = SERVICE_FIELDS  # the columns, in the editor's order


class ServiceColumns(resources.ModelResource):
    """The editable columns, shared by export and import (an export is an import template)."""

    name = _f("name", "nombre")
    summary = _f("summary", "resumen")
    description = _f("description", "descripcion")
    sectors = _f("sectors", "sectores", StrictManyWidget(Sector, ["slug", "name"], "name"))
    topics = _f("topics", "temas")
    capacities = _f("capacities", "capacidades", ChoiceSetWidget(Capacity.choices))
    assistance_type = _f("assistance_type", "tipo", ChoiceWidget(AssistanceType.choices))
    modality = _f("modality", "modalidad", ChoiceWidget(Modality.choices))
    delivery = _f("delivery", "prestacion", ChoiceWidget(Delivery.choices))
    audience = _f("audience", "dirigido_a", ChoiceSetWidget(Audience.choices))
    municipal_categories = _f("municipal_categories", "categorias_municipales",
                              ChoiceSetWidget(MunicipalCategory.choices))
    nationwide = _f("nationwide", "todo_el_pais", YesNoWidget())
    departments = _f("departments", "departamentos",
                     StrictManyWidget(Department, ["code", "display_name", "name"], "display_name"))
    yearly_capacity = _f("yearly_capacity", "capacidad_anual", widgets.IntegerWidget())
    duration = _f("duration", "duracion")
    cost_band = _f("cost_band", "costo", ChoiceWidget(CostBand.choices))
    funding_source = _f("funding_source", "financiacion")
    requirements = _f("requirements", "requisitos")
    contact_name = _f("contact_name", "contacto_nombre")
    contact_email = _f("contact_email", "contacto_correo")
    contact_phone = _f("contact_phone", "contacto_telefono")
    valid_from = _f("valid_from", "vigente_desde", widgets.DateWidget())
    valid_until = _f("valid_until", "vigente_hasta", widgets.DateWidget())
    links = _f("links", "enlaces")

    class Meta:
        model = Service
        fields = EDITABLE


class ServiceExportResource(ServiceColumns):
    id = fields.Field(attribute="id", column_name="id")
    entity = fields.Field(attribute="organization__name", column_name="entidad")
    status = fields.Field(attribute="status", column_name="estado", widget=ChoiceWidget(Service.Status.choices))

    class Meta:
        model = Service
        fields = ["id", "entity", "status", *EDITABLE]
        export_order = ["id", "entity", "status", *EDITABLE]

    def export_field(self, field, instance, **kwargs):
        # Dates stay dates (real date cells in XLSX); apps.core.exports neutralises every text cell.
        if field.attribute in ("valid_from", "valid_until"):
            return getattr(instance, field.attribute)
        return super().export_field(field, instance, **kwargs)


class ServiceImportResource(ServiceColumns):
    """Rows become new drafts of `organization`; cross-field rules are the editor's rules."""

    class Meta:
        model = Service
        fields = EDITABLE
        import_order = EDITABLE
        clean_model_instances = True
        skip_diff = True

    def __init__(self, *, organization, user):
        super().__init__()
        self.organization = organization
        self.user = user
        self._row = None

    def before_import_row(self, row, **kwargs):
        self._row = row

    def init_instance(self, row=None):
        service = Service(organization=self.organization, status=Service.Status.DRAFT)
        service._history_user = self.user
        return service

    def get_or_init_instance(self, instance_loader, row):
        """A row without `id` is a new draft; with one, the importer's own service of that id.

        Looked up within the importing organisation only, so another entity's id (or a missing
        one) is a row error and never reaches a service the importer may not write.
        """
        raw = row.get("id")
        if raw is None or not str(raw).strip():
            return self.init_instance(row), True
        text = str(raw).strip()
        pk = int(float(text)) if text.isascii() and text.replace(".", "", 1).isdigit() else None
        service = Service.objects.filter(pk=pk, organization=self.organization).first() if pk else None
        if service is None:
            raise ValueError(_("Su entidad no tiene un servicio con id «%(id)s». Deje la columna id vacía "
                               "para crear un servicio nuevo.") % {"id": text})
        service._history_user = self.user
        return service, False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.organization.kind == "department":
            instance.nationwide = False
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
        related = {}
        for name in ("sectors", "departments"):
            try:
                related[name] = list(self.fields[name].clean(self._row))
            except KeyError:  # column absent from the file
                related[name] = []
            except ValueError as exc:
                errors[name] = [str(exc)]
                related[name] = []
        if instance.organization.kind == "department" and not related["departments"]:
            related["departments"] = list(Department.objects.filter(code=instance.organization.department_id))
        data = {f: getattr(instance, f) for f in ("capacities", "audience", "nationwide", "valid_from", "valid_until")}
        try:
            service_validate(organization=instance.organization, data=data, **related)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field not in errors:
                    errors[field] = messages
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if instance.organization.kind == "department" and not instance.departments.exists():
            instance.departments.set(Department.objects.filter(code=instance.organization.department_id))


COLUMN_LABELS = {ServiceColumns.fields[name].column_name: ServiceColumns.fields[name] for name in EDITABLE}


# An import file: a few hundred services at most; the template has about thirty columns.
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 2_000
IMPORT_MAX_COLS = 60


def import_check(upload) -> str:
    """'xlsx' or 'csv' when the upload may be parsed (apps.core.uploads guard); BadFile otherwise."""
    return check_spreadsheet(upload, max_bytes=IMPORT_MAX_BYTES, max_rows=IMPORT_MAX_ROWS, max_cols=IMPORT_MAX_COLS)


def import_dataset(content: bytes) -> tablib.Dataset:
    """The upload as a dataset with its first non-blank row as headers; raises BadFile.

    The guard runs first; an XLSX is then read by openpyxl in a memory-limited child process,
    so no file can make the web process balloon.
    """
    import io

    if import_check(io.BytesIO(content)) == "xlsx":
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(content)
            handle.flush()
            rows = parse_in_child(xlsx_first_sheet, handle.name, memory_limit_mb=768, timeout=60)
    else:
        rows = list(csv_rows(decode_csv(content), max_cols=IMPORT_MAX_COLS, max_rows=IMPORT_MAX_ROWS))
    rows = [["" if cell is None else cell for cell in row] for row in rows]
    while rows and not any(str(cell).strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise BadFile(_("El archivo está vacío."))
    header = [str(cell).strip() for cell in rows[0]]
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:] if any(str(cell).strip() for cell in row)]
    return tablib.Dataset(*body, headers=header)
