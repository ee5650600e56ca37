"""Demo follow-ups for `make run`, so the dashboards show numbers from the first minute.

- The agenda demo's realised event in Fusagasugá: its participants were surveyed when it was
  realised; Laura answered (and asked for more help: a draft need waits for the alcaldía's
  editor), Jorge did not (he got his reminders); ESAP's responsible person answered for the entity.
- An older event, the development-plan assistance of the DNP in Agua de Dios about four months
  ago: its two officials assessed their capacities before it and again three months after, with
  a visible change, and rated the event.

Everything goes through the services (invitations, links, answers) with the moment passed in; the
demo's notices are marked sent (shown in «Avisos», never e-mailed). Idempotent.
"""

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import organization_resolve
from apps.agenda import services as agenda_services
from apps.agenda.models import Event
from apps.agenda.models import Status as EventStatus
from apps.monitoring import services
from apps.monitoring.models import Audience, Invitation
from apps.offer.models import Service
from apps.territory.models import Municipality

FUSAGASUGA_EVENT = "Inducción a nuevos mandatarios en Fusagasugá"
AGUA_DE_DIOS_EVENT = "Metas e indicadores del plan de desarrollo de Agua de Dios"

# Capacity self-assessments (before, after) of the Agua de Dios officials.
CAPACITIES = {
    "planeacion@aguadedios.gov.co": {"planeacion": (2, 4), "gestion": (2, 3), "ejecucion": (2, 3),
                                     "organizacional": (2, 3), "tecnica": (2, 3)},
    "tesoreria@aguadedios.gov.co": {"planeacion": (1, 3), "gestion": (2, 3), "ejecucion": (2, 3),
                                    "organizacional": (2, 3), "tecnica": (1, 3)},
}

def _territory_answers(satisfaction: int, more_help: str, comment: str) -> dict[str, object]:
    return {"T01": satisfaction, "T02": satisfaction, "T03": max(satisfaction - 1, 1), "T04": satisfaction,
            "T05": 5, "T06": "Sí", "T07": more_help, "T08": comment}


def _capacity_answers(email: str, which: int) -> dict[str, object]:
    return {f"C_{code.upper()}": pair[which] for code, pair in CAPACITIES[email].items()}


def _invitation(event: Event, audience: str, email: str) -> Invitation | None:
    return Invitation.objects.filter(event=event, audience=audience, email=email).first()


def _fusagasuga(coordinator: User) -> int:
    event = Event.objects.filter(title=FUSAGASUGA_EVENT, status=EventStatus.DONE).first()
    # Recording it wrote its invitations (unsent, dated from its end); the demo sends them as of then.
    if event is None or Invitation.objects.filter(event=event, sent_at__isnull=False).exists():
        return 0
    esap = User.objects.filter(email="editor@esap.gov.co").first()
    if esap is not None:
        event.responsible.add(esap)
    services.followups_on_event_done(event=event, now=event.ends_at)
    answered = 0
    laura = _invitation(event, Audience.TERRITORY, "secplaneacion@fusagasuga.gov.co")
    if laura is not None:
        services.followup_answer(invitation=laura, now=event.ends_at + timedelta(days=1), answers=_territory_answers(
            4, "Sí", "Nos sirvió mucho; necesitamos acompañamiento para el plan de desarrollo."))
        answered += 1
    entity = _invitation(event, Audience.PROVIDER, "editor@esap.gov.co")
    if entity is not None:
        services.followup_answer(invitation=entity, now=event.ends_at + timedelta(days=2), answers={
            "P01": "Sí", "P02": 4, "P03": "Enviar el material de la inducción a los concejales que no asistieron."})
        answered += 1
    return answered


def _agua_de_dios(coordinator: User) -> int:
    if Event.objects.filter(title=AGUA_DE_DIOS_EVENT).exists():
        return 0
    start = agenda_services.next_working_start(timezone.localdate() - timedelta(days=125))
    event = agenda_services.event_create(user=coordinator, data={
        "title": AGUA_DE_DIOS_EVENT, "kind": "asistencia_tecnica", "starts_at": start,
        "ends_at": start + timedelta(hours=5), "modality": "presencial", "place": "Alcaldía de Agua de Dios",
        "recorded_after_the_fact": True, "providers": [organization_resolve("DNP")],
        "municipalities": [Municipality.objects.get(code="25001")],
        "services": list(Service.objects.filter(name="Kit de planeación territorial (KPT)",
                                                status=Service.Status.PUBLISHED)[:1]),
        "responsible": [coordinator], "cost": 2_600_000,
        "attendees": [{"name": "Camilo Ortiz", "email": "planeacion@aguadedios.gov.co",
                       "organization": organization_resolve("25001")},
                      {"name": "Marta Torres", "email": "tesoreria@aguadedios.gov.co",
                       "organization": organization_resolve("25001")}],
    }, confirm_non_working_day=True)
    # Before: asked when it was confirmed, answered in the days before it.
    services.followups_on_event_confirmed(event=event, now=start - timedelta(days=10))
    for email in CAPACITIES:
        before = _invitation(event, Audience.CAPACITY_BEFORE, email)
        if before is not None:
            services.followup_answer(invitation=before, answers=_capacity_answers(email, 0),
                                     now=start - timedelta(days=8))
    # Realised: the participants rate it; three months later, the second self-assessment.
    services.followups_on_event_done(event=event, now=event.ends_at)
    for email, satisfaction in (("planeacion@aguadedios.gov.co", 5), ("tesoreria@aguadedios.gov.co", 4)):
        rating = _invitation(event, Audience.TERRITORY, email)
        if rating is not None:
            services.followup_answer(invitation=rating, answers=_territory_answers(satisfaction, "No", ""),
                                     now=event.ends_at + timedelta(days=2))
    due = event.ends_at + timedelta(days=90, minutes=1)
    services.followups_send_due(now=due)
    for email in CAPACITIES:
        after = _invitation(event, Audience.CAPACITY_AFTER, email)
        if after is not None:
            services.followup_answer(invitation=after, answers=_capacity_answers(email, 1),
                                     now=due + timedelta(days=4))
    return Invitation.objects.filter(event=event, answered_at__isnull=False).count()


def load() -> list[str]:
    from apps.core.models import Notification
    from apps.monitoring.definitions import load_followup_definitions

    coordinator = User.objects.filter(email="coordinador@dnp.gov.co").first()
    if coordinator is None:
        return []
    started = timezone.now()
    load_followup_definitions()  # after a flush the migration's rows are gone
    answered = _fusagasuga(coordinator) + _agua_de_dios(coordinator)
    # Reminders of the demo's unanswered invitations, as beat would have written them by now.
    services.followups_send_due()
    # Demo notices show in «Avisos» but are not e-mailed (claimed as sent before the queued
    # deliveries run, which then find nothing to send).
    Notification.objects.filter(created_at__gte=started, sent_at=None).update(sent_at=timezone.now())
    if not answered:
        return []
    return [f"Seguimiento: {Invitation.objects.count()} invitaciones de seguimiento, "
            f"{Invitation.objects.filter(answered_at__isnull=False).count()} respondidas (una medición de "
            "capacidades antes y después en Agua de Dios)."]
