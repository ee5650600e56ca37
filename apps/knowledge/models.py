"""Knowledge management (PATT objectives 2 and 4): workshops and their problem trees, commitments
that are followed, good practices and lessons learned, and the guidelines library.

Glossary: taller = `Workshop`, árbol de problemas / de soluciones = `TreeNode` rows of a workshop,
reto = `Challenge`, compromiso = `Commitment` (its dated notes: `CommitmentProgress`),
buena práctica / lección aprendida = `Practice`, orientación metodológica = `Guideline` (its files:
`GuidelineVersion`). The PATT's shared problem tree is the tree of the workshop flagged `is_patt`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Organization
from apps.core.vocabulary import Capacity
from apps.territory.models import Department, Municipality, Sector


class Workshop(models.Model):
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    title = models.CharField(_("nombre"), max_length=200)
    held_on = models.DateField(_("fecha"), null=True, blank=True)
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    organizers = models.TextField(_("organizadores"), blank=True)
    organizer_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="organized_workshops", verbose_name=_("organizaciones organizadoras"))
    participants = models.TextField(_("organizaciones participantes"), blank=True)
    participant_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="attended_workshops", verbose_name=_("organizaciones participantes"))
    participants_count = models.PositiveIntegerField(_("número de participantes"), null=True, blank=True)
    objective = models.TextField(_("objetivo"), blank=True)
    central_problem = models.TextField(_("problema central"), blank=True)
    central_objective = models.TextField(_("objetivo central"), blank=True)
    summary = models.TextField(_("resumen"), blank=True)
    # Where the source (the OCR of the 2021 report) is unclear or silent: said, not invented.
    source = models.CharField(_("fuente"), max_length=300, blank=True)
    source_notes = models.TextField(_("notas sobre la fuente"), blank=True)
    is_patt = models.BooleanField(_("árbol de problemas de la política (PATT)"), default=False)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("departamento"))
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipio"))
    event = models.ForeignKey("agenda.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="workshops", verbose_name=_("jornada"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("taller")
        verbose_name_plural = _("talleres")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:workshop", args=[self.slug])


class TreeNode(models.Model):
    """One box of a workshop's problem tree (causes, effects) or solution tree (objectives, actions).

    Nesting by `parent`: a root cause is a direct cause, its children indirect ones. An objective
    may `answer` the cause it solves.
    """

    class Kind(models.TextChoices):
        CAUSE = "causa", _("Causa")
        EFFECT = "efecto", _("Efecto")
        OBJECTIVE = "objetivo", _("Objetivo")
        ACTION = "accion", _("Acción")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="tree_nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("texto"))
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    answers = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answered_by",
                                verbose_name=_("responde a"))
    unclear = models.BooleanField(_("texto poco legible en la fuente"), default=False)

    class Meta:
        ordering = ["workshop", "kind", "position", "id"]
        verbose_name = _("nodo del árbol")
        verbose_name_plural = _("nodos del árbol")

    def __str__(self) -> str:
        return self.text[:80]


class Challenge(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="challenges")
    text = models.TextField(_("reto"))
    position = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        ordering = ["workshop", "position", "id"]
        verbose_name = _("reto")
        verbose_name_plural = _("retos")

    def __str__(self) -> str:
        return self.text[:80]


class CommitmentStatus(models.TextChoices):
    PENDING = "pendiente", _("Pendiente")
    IN_PROGRESS = "en_curso", _("En curso")
    DONE = "cumplido", _("Cumplido")
    OVERDUE = "vencido", _("Vencido")
    DISCARDED = "descartado", _("Descartado")


class Commitment(models.Model):
    Status = CommitmentStatus

    text = models.TextField(_("compromiso"))
    responsible = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="commitments", verbose_name=_("responsable"))
    # The report names some responsibles that are no organisation of the platform.
    responsible_text = models.CharField(_("responsable (texto)"), max_length=300, blank=True)
    due_on = models.DateField(_("fecha límite"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.PENDING)
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="commitments", verbose_name=_("taller"))
    event = models.ForeignKey("agenda.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="commitments", verbose_name=_("jornada"))
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipio"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("departamento"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        indexes = [models.Index(fields=["status", "due_on"], name="knowledge_commitment_due_idx")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("knowledge:commitment", args=[self.pk])


class CommitmentProgress(models.Model):
    """A dated note for every change of a commitment (status or progress)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="progress")
    from_status = models.CharField(_("de"), max_length=12, choices=CommitmentStatus.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=12, choices=CommitmentStatus.choices)
    note = models.TextField(_("nota"), max_length=4000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    # A spreadsheet row applied once: "<file sha256>:<commitment id>" (blank for notes typed on a page).
    import_key = models.CharField(_("clave de importación"), max_length=100, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("avance del compromiso")
        verbose_name_plural = _("avances de los compromisos")
        constraints = [models.UniqueConstraint(fields=["import_key"], condition=~models.Q(import_key=""),
                                               name="knowledge_progress_import_key")]

    def __str__(self) -> str:
        return f"#{self.commitment_id}: {self.to_status}"


class Practice(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practica", _("Buena práctica")
        LESSON = "leccion", _("Lección aprendida")

    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    title = models.CharField(_("título"), max_length=200)
    what = models.TextField(_("qué se hizo"))
    result = models.TextField(_("resultado"), blank=True)
    evidence = models.TextField(_("evidencia"), blank=True)
    evidence_url = models.URLField(_("enlace a la evidencia"), blank=True)
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="practices",
                               verbose_name=_("sector"))
    capacity = models.CharField(_("capacidad"), max_length=20, choices=Capacity.choices, blank=True)
    topics = models.CharField(_("temas"), max_length=300, blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="practices", verbose_name=_("organización"))
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="practices", verbose_name=_("municipio"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="practices", verbose_name=_("departamento"))
    events = models.ManyToManyField("agenda.Event", blank=True, related_name="practices",
                                    verbose_name=_("jornadas"))
    services = models.ManyToManyField("offer.Service", blank=True, related_name="practices",
                                      verbose_name=_("servicios"))
    needs = models.ManyToManyField("demand.Need", blank=True, related_name="practices",
                                   verbose_name=_("solicitudes"))
    contact_name = models.CharField(_("contacto"), max_length=150, blank=True)
    contact_email = models.EmailField(_("correo del contacto"), blank=True)
    contact_phone = models.CharField(_("teléfono del contacto"), max_length=40, blank=True)
    published = models.BooleanField(_("publicada"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("registrada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[events, services, needs])
    # Set by the services when a double submit returns what the first one wrote.
    replayed = False

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:practice", args=[self.pk])


class Guideline(models.Model):
    class Kind(models.TextChoices):
        GUIDE = "guia", _("Guía")
        METHODOLOGY = "metodologia", _("Metodología")
        GUIDELINE = "lineamiento", _("Lineamiento")

    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField(_("título"), max_length=200)
    summary = models.TextField(_("de qué trata"), blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="guidelines",
                                     verbose_name=_("entidad que la publica"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="guidelines", verbose_name=_("sectores"))
    capacities = models.JSONField(_("capacidades"), default=list, blank=True)
    categories = models.JSONField(_("categorías municipales"), default=list, blank=True)
    services = models.ManyToManyField("offer.Service", blank=True, related_name="guidelines",
                                      verbose_name=_("servicios que la usan"))
    published = models.BooleanField(_("publicada"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("registrada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[sectors, services])
    # Set by the services when a double submit returns what the first one wrote.
    replayed = False

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("orientación metodológica")
        verbose_name_plural = _("orientaciones metodológicas")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:guideline", args=[self.pk])


class GuidelineVersion(models.Model):
    """One published file of a guideline; a new version keeps the older ones readable."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versión"))
    file = models.FileField(_("archivo"), upload_to="knowledge/guidelines/%Y/")
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    content_type = models.CharField(_("tipo de archivo"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño"), default=0)
    sha256 = models.CharField(_("huella"), max_length=64)
    notes = models.TextField(_("qué cambió"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("publicada el"), auto_now_add=True)
    # Set by the services when a double submit returns what the first one wrote.
    replayed = False

    class Meta:
        ordering = ["guideline", "-number"]
        verbose_name = _("versión de la orientación")
        verbose_name_plural = _("versiones de las orientaciones")
        constraints = [models.UniqueConstraint(fields=["guideline", "number"], name="knowledge_guideline_version")]

    def __str__(self) -> str:
        return f"{self.guideline} v{self.number}"
