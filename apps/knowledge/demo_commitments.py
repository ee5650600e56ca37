"""Demo commitments for `make run`: those of the agenda's realised jornada in Fusagasugá (one done,
one overdue, one falling due this week, which gets its reminder) and one 2021 workshop commitment
with a progress note. The notices they write are marked sent (shown, not e-mailed). Idempotent.
"""

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import organization_resolve
from apps.agenda.models import Event
from apps.knowledge.models import Commitment, CommitmentStatus
from apps.knowledge.services import commitment_create, commitment_update_status

EVENT_TITLE = "Inducción a nuevos mandatarios en Fusagasugá"  # apps/agenda/demo.py's realised jornada
MARKER = "Enviar a la alcaldía las memorias y presentaciones de la inducción"
WORKSHOP_COMMITMENT = "Establecer una agenda interactiva."


def load() -> list[str]:
    from apps.core.models import Notification
    from apps.knowledge.reminders import commitment_reminders_write

    coordinator = User.objects.filter(email="coordinador@dnp.gov.co").first()
    event = Event.objects.filter(title=EVENT_TITLE, status=Event.Status.DONE).first()
    if coordinator is None or event is None or Commitment.objects.filter(text=MARKER).exists():
        return []
    started = timezone.now()
    today = timezone.localdate()
    esap, fusagasuga = organization_resolve("ESAP"), organization_resolve("25290")
    done = commitment_create(user=coordinator, text=MARKER, responsible=esap, event=event,
                             due_on=timezone.localdate(event.ends_at) + timedelta(days=10))
    commitment_update_status(user=coordinator, commitment=done, status=CommitmentStatus.DONE,
                             note="Enviadas por correo a la Secretaría de Planeación y publicadas en el sitio "
                                  "de la ESAP.")
    late = commitment_create(user=coordinator, event=event, responsible=fusagasuga, due_on=today - timedelta(days=3),
                             text="Actualizar el plan de capacitación de concejales con los temas de la inducción")
    commitment_update_status(user=coordinator, commitment=late, status=CommitmentStatus.IN_PROGRESS,
                             note="La Secretaría General tiene un primer borrador.")
    commitment_create(user=coordinator, event=event, responsible=fusagasuga, due_on=today + timedelta(days=5),
                      text="Designar el enlace de la alcaldía para el seguimiento de la asistencia técnica")
    workshop_commitment = Commitment.objects.filter(text=WORKSHOP_COMMITMENT, workshop__isnull=False).first()
    if workshop_commitment is not None and workshop_commitment.status == CommitmentStatus.PENDING:
        commitment_update_status(user=coordinator, commitment=workshop_commitment,
                                 status=CommitmentStatus.IN_PROGRESS,
                                 note="La Agenda ATT reúne oferta, solicitudes y jornadas en un solo lugar "
                                      "(nota de demostración).")
    commitment_reminders_write()  # the late one becomes vencido; the one due this week is reminded
    Notification.objects.filter(created_at__gte=started, sent_at=None).update(sent_at=timezone.now())
    return [f"Conocimiento: {Commitment.objects.filter(event=event).count()} compromisos de la jornada realizada "
            "(uno cumplido, uno vencido, uno por vencer)."]
