"""Reference data: DIVIPOLA (DANE) departments and municipalities, national entities, sectors."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.collation import Spanish
from apps.core.vocabulary import MunicipalCategory


class Department(models.Model):
    code = models.CharField(_("código DIVIPOLA"), max_length=2, primary_key=True)
    name = models.CharField(_("nombre oficial"), max_length=120)
    display_name = models.CharField(_("nombre"), max_length=120)
    capital_code = models.CharField(_("código de la capital"), max_length=5)

    class Meta:
        ordering = [Spanish("display_name")]
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("territory:department", args=[self.code])


class Municipality(models.Model):
    class EntityType(models.TextChoices):
        MUNICIPIO = "municipio", _("Municipio")
        DISTRITO_CAPITAL = "distrito_capital", _("Distrito Capital")
        AREA_NO_MUNICIPALIZADA = "area_no_municipalizada", _("Área no municipalizada")

    code = models.CharField(_("código DIVIPOLA"), max_length=5, primary_key=True)
    name = models.CharField(_("nombre oficial"), max_length=120)
    display_name = models.CharField(_("nombre"), max_length=120)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("departamento")
    )
    entity_type = models.CharField(_("tipo"), max_length=30, choices=EntityType.choices)
    is_department_capital = models.BooleanField(_("capital de departamento"), default=False)
    # Normalised "name department" for typed search (autocomplete) on any database.
    search_name = models.CharField(max_length=250, db_index=True, editable=False)
    # Ley 617 de 2000 category, PDET and ZOMAC flags: blank/False until loaded from a named source
    # (`load_municipal_categories`); a blank category is "sin categoría registrada", never a guess.
    category = models.CharField(
        _("categoría municipal"), max_length=10, choices=MunicipalCategory.choices, blank=True
    )
    pdet = models.BooleanField(_("PDET"), default=False, help_text=_("Programa de Desarrollo con Enfoque Territorial."))
    zomac = models.BooleanField(_("ZOMAC"), default=False, help_text=_("Zona más afectada por el conflicto armado."))
    category_source = models.CharField(
        _("fuente de la categoría"), max_length=200, blank=True,
        help_text=_("De dónde viene la categoría y de qué año, por ejemplo «Contaduría General, 2025»."),
    )

    class Meta:
        ordering = [Spanish("department__display_name"), Spanish("display_name")]
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.department.display_name})"

    def get_absolute_url(self) -> str:
        return reverse("territory:municipality", args=[self.code])

    @property
    def category_label(self) -> str:
        return str(self.get_category_display()) if self.category else str(_("sin categoría registrada"))


class Sector(models.Model):
    slug = models.SlugField(primary_key=True, max_length=60)
    name = models.CharField(_("nombre"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectores")

    def __str__(self) -> str:
        return self.name


class NationalEntity(models.Model):
    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("sigla"), max_length=40, unique=True)
    kind = models.CharField(_("tipo de entidad"), max_length=80)
    administrative_sector = models.CharField(_("sector administrativo"), max_length=120)

    class Meta:
        ordering = [Spanish("name")]
        verbose_name = _("entidad nacional")
        verbose_name_plural = _("entidades nacionales")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"

    def get_absolute_url(self) -> str:
        return reverse("territory:entity", args=[self.acronym])
