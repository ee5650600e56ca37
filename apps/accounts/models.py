"""People and the organisations they act for.

Every user belongs to one organisation (a national entity, a department, a municipality or the
DNP coordination) and has one role. Authorisation everywhere derives from these two fields.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.territory.models import Department, Municipality, NationalEntity


class Organization(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_ENTITY = "national_entity", _("Entidad nacional")
        DEPARTMENT = "department", _("Departamento")
        MUNICIPALITY = "municipality", _("Municipio")
        DNP = "dnp", _("Coordinación DNP")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nombre"), max_length=200)
    national_entity = models.OneToOneField(
        NationalEntity, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("entidad nacional")
    )
    # Set for department organisations and for municipal ones (the municipality's department),
    # so "everything in Cundinamarca" is a single indexed filter.
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="organizations",
        verbose_name=_("departamento"),
    )
    municipality = models.OneToOneField(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("municipio")
    )
    email = models.EmailField(_("correo de contacto"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(kind="department"), name="one_org_per_department"
            ),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="dnp"), name="one_dnp_org"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organization", args=[self.pk])

    @property
    def is_territorial(self) -> bool:
        return self.kind in (self.Kind.DEPARTMENT, self.Kind.MUNICIPALITY)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("El correo es obligatorio.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # No address is longer than the column; a 200 KB "username" would reach SQLite's LIKE
        # (iexact) and fail there ("pattern too complex") instead of being an unknown person.
        if len(username or "") > self.model._meta.get_field("email").max_length:
            raise self.model.DoesNotExist
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor (actúa por su organización)")
        COORDINATOR = "coordinator", _("Coordinador DNP")
        ADMIN = "admin", _("Administrador")

    email = models.EmailField(_("correo electrónico"), unique=True)
    full_name = models.CharField(_("nombre completo"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("organización"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.EDITOR)
    is_active = models.BooleanField(_("activo"), default=True)
    is_staff = models.BooleanField(_("acceso al admin"), default=False)
    date_joined = models.DateTimeField(_("fecha de alta"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_coordinator(self) -> bool:
        """Coordinators (DNP) and admins see and coordinate everything."""
        return self.is_active and (self.role in (self.Role.COORDINATOR, self.Role.ADMIN) or self.is_superuser)

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
