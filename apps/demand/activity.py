"""What a need leaves in its territory's memory (`apps.core.activity`).

One row per status move that matters to the territory (filed, scheduled, attended, rejected,
redirected), keyed by the move (`NeedStatusEvent`), so a retried service writes it once and
`activity_rebuild` writes exactly the same row from the stored moves. Needs are read only by the
territory and coordinators (apps.demand.permissions), so their rows are private.
"""

from django.utils.translation import gettext as _

from apps.core.activity import record
from apps.demand.models import Need, NeedStatusEvent, Status

KINDS: dict[str, str] = {
    Status.FILED: "need.filed",
    Status.SCHEDULED: "need.scheduled",
    Status.ATTENDED: "need.attended",
    Status.REJECTED: "need.rejected",
    Status.REDIRECTED: "need.redirected",
}


def _title(status: str, topic: str) -> str:
    titles: dict[str, str] = {
        Status.FILED: _("Solicitud radicada: %(topic)s"),
        Status.SCHEDULED: _("Solicitud programada en la agenda: %(topic)s"),
        Status.ATTENDED: _("Solicitud atendida: %(topic)s"),
        Status.REJECTED: _("Solicitud rechazada: %(topic)s"),
        Status.REDIRECTED: _("Solicitud redirigida: %(topic)s"),
    }
    return titles[status] % {"topic": topic}


def need_status_record(*, need: Need, status_event: NeedStatusEvent) -> None:
    """The activity row of one move of `need`, if the move is one the territory remembers."""
    kind = KINDS.get(status_event.to_status)
    if kind is None:
        return
    record(
        key=f"demand:need:{need.pk}:status:{status_event.pk}", kind=kind,
        title=_title(status_event.to_status, need.topic), text=status_event.reason, link=need.get_absolute_url(),
        municipality=need.municipality, department=need.department, actor=status_event.actor,
        occurred_at=status_event.created_at, public=False,
        data={"need": need.pk, "status": status_event.to_status, "topic": need.topic[:200],
              "sector": need.sector.name if need.sector is not None else "", "capacity": need.capacity},
    )


def rebuild() -> None:
    """Write the rows of every stored move (existing keys are left as they are)."""
    events = (NeedStatusEvent.objects.filter(to_status__in=list(KINDS))
              .select_related("need__municipality", "need__department", "need__sector", "actor")
              .order_by("id"))
    for status_event in events.iterator(chunk_size=500):
        need_status_record(need=status_event.need, status_event=status_event)
