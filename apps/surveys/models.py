"""Survey engine: definitions (Survey, Question, Option), import batches and the answers.

Answers are stored one row per chosen option (single and multi), one row holding the value for
numbers and one row per answered text, so that every result is a GROUP BY over `Answer`.
`Answer.position` is 0 for the first row of a cell: counting those rows gives how many units
answered a question, whatever the number of options chosen.

The bulk tables (Submission, Answer, RejectedRow) carry no history: the ImportBatch that wrote
them is their audit trail, and a newer batch replaces them in one transaction.

A submission comes from an import (`batch` set) or from a respondent's link (`batch` null,
`source_key` set). A survey's `mode` says which of the two its figures count; a newer import
replaces only the imported submissions.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.vocabulary import Capacity
from apps.territory.models import Department, Municipality, NationalEntity


class Survey(models.Model):
    class Unit(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipio")
        DEPARTMENT = "department", _("Departamento")
        NATIONAL_ENTITY = "national_entity", _("Entidad nacional")

    IMPORT, LIVE = "import", "live"

    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    title = models.CharField(_("título"), max_length=200)
    unit = models.CharField(_("quién responde"), max_length=20, choices=Unit.choices)
    year = models.PositiveSmallIntegerField(_("año"))
    # "import": answers come from spreadsheet exports (the 2021 surveys); "live": from respondents'
    # links (monitoring's follow-ups). One survey may hold both kinds of submission.
    mode = models.CharField(_("origen de las respuestas"), max_length=10, choices=[
        ("import", _("Importación de archivos")), ("live", _("Enlace para responder"))], default="import")
    description = models.TextField(_("presentación"), blank=True,
                                   help_text=_("Lo que lee quien responde antes de la primera pregunta."))
    # Identity columns besides the ones that resolve the entity (kept on each submission).
    identity_columns = models.JSONField(_("columnas de identificación"), default=list, blank=True)
    current_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("importación vigente"),
    )
    history = HistoricalRecords(excluded_fields=["current_batch"])

    class Meta:
        ordering = ["year", "slug"]
        verbose_name = _("encuesta")
        verbose_name_plural = _("encuestas")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:results", args=[self.slug])

    @property
    def is_live(self) -> bool:
        """Its figures count the answers given through links (else: those of imports)."""
        return self.mode == self.LIVE


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("Selección única")
        MULTI = "multi", _("Selección múltiple")
        NUMBER = "number", _("Número")
        TEXT = "text", _("Texto")
        SCALE = "scale", _("Escala de 1 a 5")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(_("clave"), max_length=20)
    position = models.PositiveSmallIntegerField(_("orden"))
    type = models.CharField(_("tipo"), max_length=10, choices=Type.choices)
    header = models.TextField(_("encabezado de la columna"))
    help_text = models.TextField(_("ayuda"), blank=True)
    required = models.BooleanField(_("obligatoria"), default=False)
    # SCALE: what each level 1..5 means, in plain words (five strings).
    levels = models.JSONField(_("qué significa cada nivel"), default=list, blank=True)
    # A SCALE question that assesses one capacity (apps.core.vocabulary.Capacity).
    capacity = models.CharField(_("capacidad evaluada"), max_length=20, choices=Capacity.choices, blank=True)
    # What pages use the question for, so that no page names a 2021 key in code: a short label
    # (panels) and its roles (see ROLES and the survey definitions). Indicators match one role
    # exactly (`role="satisfaction"`); a 2021 question may hold several words ("baseline:1
    # breakdown_default"), read with `Question.roles` / `role_q()`.
    label = models.CharField(_("etiqueta corta"), max_length=120, blank=True)
    role = models.CharField(
        _("uso en las páginas"), max_length=40, blank=True,
        help_text=_("Una o varias palabras separadas por espacios; «baseline:2» es la segunda fila del panel "
                    "de línea base. Las páginas y los indicadores leen estas palabras, nunca la clave."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}. {self.header}"

    @property
    def roles(self) -> dict[str, int]:
        """{"baseline": 1, "breakdown_default": 0}: each role word and its order (0 when it has none)."""
        out: dict[str, int] = {}
        for word in self.role.split():
            name, _sep, order = word.partition(":")
            out[name] = int(order) if order.isascii() and order.isdigit() else 0
        return out

    def has_role(self, name: str) -> bool:
        return name in self.roles


# The role words the pages of this app read: the 2021 baseline panels, the results page's default
# breakdown question and the national entities' "departments assisted" map. Monitoring reads its
# own: the follow-up surveys' (satisfaction, capacity, ...) and the 2021 answers its indicators sit
# beside (received_national_att, measured_changes); match them with role_q(), a question may hold
# several words.
BASELINE, BREAKDOWN_DEFAULT, MAP_DEPARTMENTS = "baseline", "breakdown_default", "map_departments"
ROLE_WORD = re.compile(r"^[a-z_]+(:[0-9]+)?$")


def role_q(name: str, *, prefix: str = "") -> Q:
    """Questions (or, with prefix "question__", answers) whose role words include `name`."""
    return Q(**{f"{prefix}role__regex": rf"(^| ){re.escape(name)}(:[0-9]+)?( |$)"})


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("orden"))
    text = models.CharField(_("texto"), max_length=300)
    # Another accepted spelling (a national entity's acronym), compared normalised.
    alias = models.CharField(_("alias"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("opción")
        verbose_name_plural = _("opciones")
        constraints = [models.UniqueConstraint(fields=["question", "text"], name="question_option_text_unique")]

    def __str__(self) -> str:
        return self.text


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Vista previa")
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Importando")
        DONE = "done", _("Importada")
        FAILED = "failed", _("Falló")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    file = models.FileField(_("archivo"), upload_to="surveys/imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    file_sha256 = models.CharField(_("huella del archivo"), max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(_("tamaño"), default=0)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cargado por"),
    )
    created_at = models.DateTimeField(_("cargado"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("filas"), default=0)
    accepted_count = models.PositiveIntegerField(_("filas aceptadas"), default=0)
    rejected_count = models.PositiveIntegerField(_("filas rechazadas"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Set when a worker claims the batch (QUEUED → RUNNING) or it is queued: the sweep takes back
    # batches whose worker died (still RUNNING long after) or whose message the broker lost.
    status_changed_at = models.DateTimeField(_("estado desde"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")

    def __str__(self) -> str:
        return f"{self.survey.slug} · {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:batch", args=[self.pk])


class Submission(models.Model):
    """One accepted row of an export, tied to the entity it names."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="submissions")
    # Null for a live answer (through a respondent's link); a newer import replaces only the
    # submissions of imports, never live ones.
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="submissions")
    # A live answer's one-time key (e.g. "followup:<invitation id>"): unique, so an answer is never
    # recorded twice, even on a double submit.
    source_key = models.CharField(_("clave de la respuesta"), max_length=80, null=True, blank=True,
                                  unique=True, editable=False)
    row_number = models.PositiveIntegerField(_("fila"), default=0)
    external_id = models.CharField(_("Id del formulario"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finalización"), null=True, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The municipality's department for municipal surveys: one column for "by department".
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    national_entity = models.ForeignKey(
        NationalEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The entity's latest submission in the batch (largest finish time): what unit=entity counts.
    is_latest = models.BooleanField(default=False)
    identity = models.JSONField(_("identificación"), default=dict, blank=True)

    class Meta:
        ordering = ["survey", "row_number"]
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        indexes = [
            models.Index(fields=["survey", "is_latest"], name="surveys_sub_latest_idx"),
            models.Index(fields=["municipality", "survey"], name="surveys_sub_muni_idx",
                         condition=Q(is_latest=True)),
            models.Index(fields=["national_entity", "survey"], name="surveys_sub_entity_idx",
                         condition=Q(is_latest=True)),
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} #{self.row_number}"


class Answer(models.Model):
    """One chosen option, number or text of one submission.

    `survey` and `is_latest` repeat the submission's so that results read this table alone.
    `on_delete=DO_NOTHING`: the import service deletes answers first, in one statement.
    """

    # No database constraints and one index (submission): checking four foreign keys on
    # each of ~700,000 rows made a 15,000-row import three times slower. The import service is the
    # only writer, with ids it has just read or created, and deletes answers before submissions.
    survey = models.ForeignKey(Survey, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                               db_constraint=False)
    submission = models.ForeignKey(Submission, on_delete=models.DO_NOTHING, related_name="answers",
                                   db_constraint=False)
    question = models.ForeignKey(Question, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                                 db_constraint=False)
    # Null for a choice that is not among the options: answered, but counted under no option.
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                               db_index=False, db_constraint=False)
    position = models.PositiveSmallIntegerField(default=0)
    is_latest = models.BooleanField(default=False)
    number = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("respuesta a pregunta")
        verbose_name_plural = _("respuestas a preguntas")

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.question_id}: {self.option_id or self.number or self.text}"


class ResultCount(models.Model):
    """Answers of one import grouped by (latest or not, department, question, option).

    Written by the import, in its transaction, with one INSERT … SELECT … GROUP BY over `Answer`:
    results then sum a few hundred rows instead of scanning millions (100,000 submissions hold
    about three million answers). `answered` counts first rows of cells (position 0).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    is_latest = models.BooleanField()
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()
    total = models.BigIntegerField(null=True)
    low = models.BigIntegerField(null=True)
    high = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("conteo de resultados")
        verbose_name_plural = _("conteos de resultados")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.question_id}/{self.option_id}: {self.n}"


class RejectedRow(models.Model):
    """A row that named no known entity (or held unreadable values), kept to correct and re-import."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField(_("fila"))
    reason = models.CharField(_("motivo"), max_length=300)
    data = models.JSONField(_("datos de la fila"), default=dict)

    class Meta:
        ordering = ["batch", "row_number"]
        verbose_name = _("fila rechazada")
        verbose_name_plural = _("filas rechazadas")

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"
