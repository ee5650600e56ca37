"""Demo agenda for `make run`: a believable quarter around today.

Events of several entities in several departments; a joint mission (MinVivienda with the
Gobernación de Cundinamarca) answering the Fusagasugá water need; one assistance already
realised; a conflict waiting to be merged (ANM and ESAP in Medellín within a fortnight, next
quarter); a trip suggestion (MinVivienda in Girardot and Facatativá). The current quarter is
published; the next one is open, for the coordinator to merge and publish. Dates fall on working
days (Colombian holidays and weekends skipped). Idempotent: nothing is created twice.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import organization_resolve
from apps.agenda import services
from apps.agenda.models import AgendaPeriod, Event
from apps.demand.models import Need
from apps.demand.models import Status as NeedStatus
from apps.offer.models import Service
from apps.territory.models import Municipality

MARKER = "Inducción a nuevos mandatarios en Fusagasugá"

# (title, kind, day offset from today, hours, modality, place, provider codes, municipality codes,
#  service names, confirm?)
PLANNED = [
    ("Mesa técnica de aseo en Girardot", "mesa_tecnica", 9, 4, "presencial", "Alcaldía de Girardot, sala de juntas",
     ["MinVivienda"], ["25307"], ["Mesa técnica de prestación de servicios de aseo"], True),
    ("Mesa técnica de aseo en Facatativá", "mesa_tecnica", 11, 4, "presencial", "Casa de la cultura de Facatativá",
     ["MinVivienda"], ["25269"], ["Mesa técnica de prestación de servicios de aseo"], True),
    ("Taller del Plan de Desarrollo Agropecuario en Bucaramanga", "taller", 16, 6, "presencial",
     "Gobernación de Santander, auditorio", ["MinAgricultura"], ["68001"],
     ["Formulación del Plan de Desarrollo Agropecuario y Rural (PDEA)"], True),
    ("Capacitación MIPG para Cali", "capacitacion", 6, 3, "virtual", "", ["Función Pública"], ["76001"],
     ["Implementación del Modelo Integrado de Planeación y Gestión (MIPG)"], True),
    ("Kit de planeación territorial en Tunja", "asistencia_tecnica", 23, 4, "presencial", "Alcaldía de Tunja",
     ["DNP"], ["15001"], ["Kit de planeación territorial (KPT)"], False),
    ("Plan municipal de gestión del riesgo en Pasto", "asistencia_tecnica", 27, 5, "mixta",
     "Alcaldía de Pasto, Secretaría de Gestión del Riesgo", ["UNGRD"], ["52001"],
     ["Formulación de planes municipales de gestión del riesgo"], False),
    # Next quarter: the conflict waiting to be merged (two entities, one municipality, one fortnight).
    ("Formalización minera en Medellín", "asistencia_tecnica", 48, 4, "presencial", "Alcaldía de Medellín",
     ["ANM"], ["05001"], ["Formalización minera y legalización de pequeños mineros"], False),
    ("Modernización administrativa en Medellín", "mision_diagnostico", 53, 6, "presencial",
     "Alcaldía de Medellín, Secretaría de Gestión Humana", ["ESAP"], ["05001"],
     ["Asesoría en modernización de la estructura administrativa"], False),
]


def _quarter(day: date) -> tuple[str, date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = (date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1) - timedelta(days=1))
    return f"{day.year}-T{(first_month - 1) // 3 + 1}", start, end


def _start(offset: int, hour: int = 8) -> datetime:
    start = services.next_working_start(timezone.localdate() + timedelta(days=offset))
    return start.replace(hour=hour)


def _services(names: list[str]) -> list[Service]:
    return list(Service.objects.filter(name__in=names, status=Service.Status.PUBLISHED))


def load() -> list[str]:
    coordinator = User.objects.filter(email="coordinador@dnp.gov.co").first()
    if coordinator is None or Event.objects.filter(title=MARKER).exists():
        return []
    started = timezone.now()
    today = timezone.localdate()
    for day in (today, _quarter(today)[2] + timedelta(days=1)):
        name, start, end = _quarter(day)
        if not AgendaPeriod.objects.filter(name=name).exists():
            services.period_create(user=coordinator, name=name, starts_on=start, ends_on=end)

    # Realised: recorded after the fact, with its attendees (monitoring surveys them).
    past = services.next_working_start(today - timedelta(days=21))
    if past.date() >= today:
        past -= timedelta(days=7)
    services.event_create(user=coordinator, data={
        "title": MARKER, "kind": "capacitacion", "starts_at": past, "ends_at": past + timedelta(hours=6),
        "modality": "presencial", "place": "Concejo municipal de Fusagasugá", "recorded_after_the_fact": True,
        "providers": [organization_resolve("ESAP")], "municipalities": [Municipality.objects.get(code="25290")],
        "services": _services(["Inducción a nuevos mandatarios y concejales"]),
        "attendees": [{"name": "Laura Méndez", "email": "secplaneacion@fusagasuga.gov.co",
                       "organization_name": "Alcaldía de Fusagasugá"},
                      {"name": "Jorge Rincón", "email": "concejo@fusagasuga.gov.co",
                       "organization_name": "Concejo de Fusagasugá"}],
        "cost": 4_800_000,
    }, confirm_non_working_day=True)

    # The joint mission: the Fusagasugá water need accepted, then the Gobernación joins.
    need = Need.objects.filter(topic="Formulación del proyecto de acueducto veredal",
                               status__in=[NeedStatus.FILED, NeedStatus.IN_REVIEW]).first()
    water = _services(["Asistencia para la formulación de proyectos de agua potable y saneamiento"])
    if need and water:
        mission = services.match_accept(user=coordinator, need=need, service=water[0], starts_at=_start(13),
                                        ends_at=_start(13, 16))
        services.event_update(user=coordinator, event=mission, data={
            "title": "Misión conjunta de agua potable en Fusagasugá y Agua de Dios", "kind": "mision_diagnostico",
            "place": "Alcaldía de Fusagasugá, Secretaría de Planeación",
            "providers": [water[0].organization, organization_resolve("25")],
            "municipalities": list(Municipality.objects.filter(code__in=["25290", "25001"])),
            "services": water + _services(["Asistencia técnica en formulación de proyectos municipales"]),
            "attendees": [{"name": "Laura Méndez", "email": "secplaneacion@fusagasuga.gov.co",
                           "organization_name": "Alcaldía de Fusagasugá"},
                          {"name": "Camilo Ortiz", "email": "planeacion@aguadedios.gov.co",
                           "organization_name": "Alcaldía de Agua de Dios"}],
        })
        services.event_transition(user=coordinator, event=mission, action="confirm")

    for (title, kind, offset, hours, modality, place, providers, codes, names, confirm) in PLANNED:
        start = _start(offset)
        event = services.event_create(user=coordinator, data={
            "title": title, "kind": kind, "starts_at": start, "ends_at": start + timedelta(hours=hours),
            "modality": modality, "place": place,
            "video_url": "https://meet.google.com/agenda-att-demo" if modality != "presencial" else "",
            "providers": [organization_resolve(code) for code in providers],
            "municipalities": list(Municipality.objects.filter(code__in=codes)), "services": _services(names),
        })
        if confirm:
            services.event_transition(user=coordinator, event=event, action="confirm")

    # Publish the current quarter; the next one stays open for the coordinator.
    current = AgendaPeriod.objects.get(name=_quarter(today)[0])
    services.period_publish(user=coordinator, period=current)

    # Demo notices show in the interface but are not e-mailed (claimed as sent before the queued
    # deliveries run, which then find nothing to send).
    from apps.core.models import Notification

    # Both the agenda's and demand's (needs moved to programada by the demo events).
    Notification.objects.filter(created_at__gte=started, sent_at=None).update(sent_at=timezone.now())
    return [f"Agenda: {Event.objects.count()} jornadas de demostración (una misión conjunta, una realizada, "
            f"un cruce por fusionar en Medellín); periodo {current.name} publicado."]
