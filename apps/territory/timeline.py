"""A territory's memory as people read it: its `Activity` rows, newest first, by year and month.

Reads the activity record only (written by the services of every app, apps.core.activity), so a
page of the timeline is two queries whatever the territory holds: the count and the page.
Private rows (`public=False`: needs, follow-up answers) show only to the territory's own people
and to coordinators (`private_scope`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization, User
from apps.core.models import Activity
from apps.territory.models import Department, Municipality

StrOrPromise = str | Promise
# The filter of the timeline: a group of kinds, by the prefix of `Activity.kind`.
GROUPS: dict[str, tuple[StrOrPromise, tuple[str, ...]]] = {
    "solicitudes": (_("Solicitudes"), ("need.",)),
    "jornadas": (_("Jornadas"), ("event.",)),
    "seguimiento": (_("Seguimiento y capacidades"), ("followup.", "capacity.")),
    "compromisos": (_("Compromisos"), ("commitment.",)),
    "conocimiento": (_("Prácticas, guías y talleres"), ("practice.", "guideline.", "workshop.")),
    "oferta": (_("Oferta publicada"), ("service.",)),
}
TERRITORY_GROUPS = ("solicitudes", "jornadas", "seguimiento", "compromisos", "conocimiento")
ORGANIZATION_GROUPS = ("jornadas", "oferta", "compromisos", "conocimiento")
# The badge of a row, by the prefix of its kind.
LABELS = {
    "need": _("Solicitud"), "event": _("Jornada"), "followup": _("Seguimiento"), "capacity": _("Capacidades"),
    "commitment": _("Compromiso"), "practice": _("Buena práctica"), "guideline": _("Orientación"),
    "workshop": _("Taller"), "service": _("Oferta"),
}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")
PER_PAGE = 20


def kind_label(kind: str) -> str:
    return str(LABELS.get(kind.split(".", 1)[0], _("Actividad")))


def month_label(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{MONTHS[local.month - 1]} de {local.year}"


def private_scope(user: User) -> Q:
    """The private rows `user` may read: coordinators all; a municipality's people their
    municipality's; a department's people their department's, its municipalities' included."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_coordinator:
        return Q(pk__isnull=False)
    org = user.organization
    if org is None:
        return Q(pk__in=[])
    own = Q(organization_id=org.pk)  # an organisation's own rows (the events it provides)
    if org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id:
        return own | Q(municipality_id=org.municipality_id)
    if org.kind == Organization.Kind.DEPARTMENT and org.department_id:
        return own | Q(department_id=org.department_id)
    return own


def visible_q(user: User) -> Q:
    if user.is_authenticated and user.is_coordinator:
        return Q()  # not `Q(public=True) | Q()`: OR with an empty Q drops it, leaving public rows only
    return Q(public=True) | private_scope(user)


def is_territory_insider(user: User, *, municipality: Municipality | None = None,
                         department: Department | None = None) -> bool:
    """The territory's own people (and coordinators): who reads its private rows and its handover report."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_coordinator:
        return True
    org = user.organization
    if org is None:
        return False
    if municipality is not None:
        return ((org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id == municipality.pk)
                or (org.kind == Organization.Kind.DEPARTMENT and org.department_id == municipality.department_id))
    if department is not None:
        return org.kind == Organization.Kind.DEPARTMENT and org.department_id == department.pk
    return False


def territory_activity(*, user: User, municipality: Municipality | None = None,
                       department: Department | None = None, organization: Organization | None = None,
                       group: str = "", starts_on: date | None = None,
                       ends_on: date | None = None) -> QuerySet[Activity]:
    """The rows of a municipality, of a department (its own and its municipalities'), or of an
    organisation (what it provided and published), that `user` may read, newest first; `group`
    one of GROUPS, the dates inclusive (Bogotá)."""
    if municipality is not None:
        qs = Activity.objects.filter(municipality=municipality)
    elif department is not None:
        qs = Activity.objects.filter(department=department)
    elif organization is not None:
        qs = Activity.objects.filter(organization=organization)
    else:
        raise ValueError("territory_activity needs a municipality, a department or an organisation")
    qs = qs.filter(visible_q(user))
    if group in GROUPS:
        by_kind = Q(pk__in=[])
        for prefix in GROUPS[group][1]:
            by_kind |= Q(kind__startswith=prefix)
        qs = qs.filter(by_kind)
    tz = timezone.get_current_timezone()
    if starts_on is not None:
        qs = qs.filter(occurred_at__gte=datetime.combine(starts_on, time.min, tzinfo=tz))
    if ends_on is not None:
        qs = qs.filter(occurred_at__lte=datetime.combine(ends_on, time.max, tzinfo=tz))
    return qs.select_related("municipality").order_by("-occurred_at", "-id")


@dataclass
class Month:
    label: str
    rows: list[Activity] = field(default_factory=list)


def by_month(rows: list[Activity]) -> list[Month]:
    """Rows (already ordered) grouped by their local year and month, each row with its badge."""
    months: list[Month] = []
    for row in rows:
        label = month_label(row.occurred_at)
        if not months or months[-1].label != label:
            months.append(Month(label))
        row.label = kind_label(row.kind)  # type: ignore[attr-defined]
        months[-1].rows.append(row)
    return months


@dataclass
class Timeline:
    page: Page
    months: list[Month]
    group: str
    groups: list[tuple[str, str]]
    show_territory: bool
    heading: str


def timeline(*, user: User, municipality: Municipality | None = None, department: Department | None = None,
             organization: Organization | None = None, group: str = "", page: str | int | None = 1,
             per_page: int = PER_PAGE) -> Timeline:
    """One page of the territory's timeline for `user` (two queries: the count and the page)."""
    keys = ORGANIZATION_GROUPS if organization is not None else TERRITORY_GROUPS
    group = group if group in keys else ""
    qs = territory_activity(user=user, municipality=municipality, department=department, organization=organization,
                            group=group)
    current = Paginator(qs, per_page).get_page(page)
    heading = _("Memoria de la entidad") if organization is not None else _("Memoria del territorio")
    return Timeline(page=current, months=by_month(list(current.object_list)), group=group,
                    groups=[(key, str(GROUPS[key][0])) for key in keys],
                    show_territory=department is not None, heading=str(heading))
