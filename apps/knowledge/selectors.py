"""Reads for knowledge management, scoped to the acting user; each helper keeps its own section."""

from datetime import timedelta

import django_filters
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization, User
from apps.knowledge.models import Commitment, CommitmentProgress, CommitmentStatus
from apps.knowledge.permissions_commitments import OPEN_STATUSES, commitment_editable_q, commitment_visible_q

# --- Commitments ------------------------------------------------------------------------------

ID_MAX = 2**63 - 1
DUE_CHOICES = (
    ("vencidos", _("Vencidos (fecha pasada)")),
    ("7", _("Vencen en 7 días")),
    ("30", _("Vencen en 30 días")),
    ("sin_fecha", _("Sin fecha límite")),
)


class CommitmentFilter(django_filters.FilterSet):
    """The list's filters, shared by the page, the export and the API."""

    status = django_filters.ChoiceFilter(choices=CommitmentStatus.choices, label=_("Estado"))
    # Ids are bounded: past 64 bits SQLite raises OverflowError (a 500); here it is an invalid filter.
    responsible = django_filters.NumberFilter(field_name="responsible_id", label=_("Responsable (id)"),
                                              min_value=1, max_value=ID_MAX, decimal_places=0)
    department = django_filters.CharFilter(method="filter_department", label=_("Departamento (código DIVIPOLA)"))
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("Municipio (código DIVIPOLA)"))
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="filter_due", label=_("Fecha límite"))
    workshop = django_filters.CharFilter(field_name="workshop__slug", label=_("Taller"))
    event = django_filters.NumberFilter(field_name="event_id", label=_("Jornada (id)"), min_value=1,
                                        max_value=ID_MAX, decimal_places=0)
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Texto"), max_length=200)

    class Meta:
        model = Commitment
        fields = ["status"]

    def filter_department(self, qs, name, value):
        code = value.strip()[:2].zfill(2)
        return qs.filter(Q(department_id=code) | Q(municipality__department_id=code))

    def filter_due(self, qs, name, value):
        today = timezone.localdate()
        if value == "sin_fecha":
            return qs.filter(due_on__isnull=True)
        if value == "vencidos":
            return qs.filter(due_on__lt=today).exclude(status__in=[CommitmentStatus.DONE, CommitmentStatus.DISCARDED])
        return qs.filter(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=today + timedelta(days=int(value)))


def _last_note() -> Subquery:
    return Subquery(CommitmentProgress.objects.filter(commitment_id=OuterRef("pk"))
                    .order_by("-created_at", "-id").values("note")[:1])


def commitment_base(*, user: User) -> QuerySet[Commitment]:
    """The commitments this user may see, with what a list row shows (one query in all)."""
    return (Commitment.objects.filter(commitment_visible_q(user))
            .select_related("responsible", "municipality__department", "department", "workshop", "event")
            .annotate(last_note=_last_note()))


def commitment_filter(*, user: User, filters=None, queryset: QuerySet[Commitment] | None = None) -> CommitmentFilter:
    data = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    return CommitmentFilter(data, queryset=queryset if queryset is not None else commitment_base(user=user))


def commitment_list(*, user: User, filters=None, queryset: QuerySet[Commitment] | None = None) -> QuerySet[Commitment]:
    """Commitments this user may see, filtered (invalid filters ignored), by due date (undated last).

    One query whatever the number of rows: the commitments joined with their responsible,
    territory, workshop and jornada, and their last progress note as a subquery.
    """
    filterset = commitment_filter(user=user, filters=filters, queryset=queryset)
    qs = filterset.qs if filterset.is_valid() else filterset.queryset
    return qs.order_by(F("due_on").asc(nulls_last=True), "id")  # the same order on SQLite and PostgreSQL


def commitments_mine(*, user: User) -> QuerySet[Commitment]:
    """"Mis compromisos": those the person's organisation is responsible for or may move."""
    editable = commitment_editable_q(user)
    if editable is None:
        return Commitment.objects.none()
    if user.is_coordinator:
        return commitment_base(user=user).filter(responsible_id=user.organization_id)
    return commitment_base(user=user).filter(editable)


def commitments_editable(*, user: User) -> QuerySet[Commitment]:
    """The commitments this user may move (the import looks ids up here: anything else is "no encontrado")."""
    editable = commitment_editable_q(user)
    if editable is None:
        return Commitment.objects.none()
    return Commitment.objects.filter(editable)


def commitment_get(*, user: User, pk: int) -> Commitment:
    """One commitment the user may see, with its progress timeline; 404 alike for missing and not yours."""
    commitment = (commitment_base(user=user)
                  .prefetch_related(Prefetch("progress", queryset=CommitmentProgress.objects
                                             .select_related("actor").order_by("created_at", "id")))
                  .filter(pk=pk).first())
    if commitment is None:
        raise Http404
    return commitment


def event_commitments(*, user: User, event) -> QuerySet[Commitment]:
    return commitment_list(user=user, filters={"event": event.pk})


def responsible_choices(*, user: User) -> QuerySet[Organization]:
    """The organisations responsible for at least one commitment this user sees (the filter's options)."""
    ids = Commitment.objects.filter(commitment_visible_q(user), responsible__isnull=False).values("responsible_id")
    return Organization.objects.filter(pk__in=ids).order_by("name")
