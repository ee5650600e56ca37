"""What knowledge management leaves in the territories' memory (`apps.core.activity`), and
`rebuild()` for `manage.py activity_rebuild`. Each subject keeps its own section and adds its
rebuilder to `REBUILDERS`.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from apps.core.activity import record
from apps.knowledge.models import Commitment, CommitmentProgress, CommitmentStatus
from apps.knowledge.services_workshops import workshops_rebuild

# --- Commitments ------------------------------------------------------------------------------


def _commitment_record(commitment: Commitment, *, key: str, kind: str, title: str, text: str = "",
                       actor=None, occurred_at=None, status: str | None = None) -> None:
    """One row for the commitment's territory and its responsible organisation.

    Workshop commitments are public reference; a territory's or a jornada's show on the
    timelines of those who may see them (the territory, coordinators).
    """
    record(key=key, kind=kind, title=title, text=text, link=commitment.get_absolute_url(),
           municipality=commitment.municipality, department=commitment.department,
           organization=commitment.responsible, actor=actor, occurred_at=occurred_at,
           public=commitment.workshop_id is not None,
           data={"commitment": commitment.pk, "status": status or commitment.status,
                 "due_on": commitment.due_on.isoformat() if commitment.due_on else None})


def commitment_created_record(*, commitment: Commitment) -> None:
    who = commitment.responsible.name if commitment.responsible_id else commitment.responsible_text
    _commitment_record(commitment, key=f"commitment:{commitment.pk}:created", kind="commitment.created",
                       title=_("Compromiso de %(who)s: %(text)s") % {"who": who, "text": commitment.text[:200]},
                       actor=commitment.created_by, occurred_at=commitment.created_at,
                       status=CommitmentStatus.PENDING)


def commitment_progress_record(*, commitment: Commitment, progress: CommitmentProgress) -> None:
    if progress.from_status == progress.to_status:
        title = _("Avance del compromiso: %(text)s") % {"text": commitment.text[:200]}
    else:
        label = str(CommitmentStatus(progress.to_status).label).lower()
        title = _("Compromiso %(status)s: %(text)s") % {"status": label, "text": commitment.text[:200]}
    _commitment_record(commitment, key=f"commitment:{commitment.pk}:progress:{progress.pk}",
                       kind="commitment.status", title=title, text=progress.note, actor=progress.actor,
                       occurred_at=progress.created_at, status=progress.to_status)


def commitments_rebuild() -> None:
    """The rows the services write, for the commitments recorded by a person (the 2021 reference
    commitments are loaded without activity, as reference data)."""
    commitments = (Commitment.objects.filter(created_by__isnull=False)
                   .select_related("responsible", "municipality", "department", "created_by").order_by("id"))
    for commitment in commitments.iterator(chunk_size=500):
        commitment_created_record(commitment=commitment)
        for progress in commitment.progress.exclude(from_status="").select_related("actor").order_by("id"):
            commitment_progress_record(commitment=commitment, progress=progress)


# Workshops: their row and its rebuilder live with their services (services_workshops.py).
REBUILDERS: list[Callable[[], None]] = [commitments_rebuild, workshops_rebuild]


def rebuild() -> None:
    for rebuilder in REBUILDERS:
        rebuilder()
