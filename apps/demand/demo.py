"""Demo needs: a few realistic requests of the demo municipalities and departments, in several
states, with a short conversation. Idempotent (skips needs whose topic already exists)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Notification
from apps.demand import services
from apps.demand.models import Need
from apps.territory.models import Municipality, Sector

# (filer e-mail, on behalf of municipality codes, sector, topic, capacity, priority, modality,
#  problem, expected result, [(coordinator action, reason)], message from the coordinator)
DEMO_NEEDS = [
    ("editor@fusagasuga.gov.co", [], "agua-potable", "Formulación del proyecto de acueducto veredal", "planeacion",
     "alta", "presencial", "Tres veredas no tienen agua potable y no sabemos estructurar el proyecto para regalías.",
     "Un proyecto formulado en la MGA y presentado al OCAD.", [("review", "")],
     "Lo incluimos en la jornada de MinVivienda de marzo."),
    ("editor@fusagasuga.gov.co", [], "planeacion", "Seguimiento al plan de desarrollo", "gestion", "media",
     "virtual", "No tenemos un tablero para seguir las metas del plan.", "Un tablero de seguimiento trimestral.",
     [], ""),
    ("editor@aguadedios.gov.co", [], "hacienda", "Actualización catastral", "tecnica", "alta", "mixta",
     "El catastro está desactualizado desde 2008 y el recaudo predial es muy bajo.",
     "Una ruta para la actualización catastral con gestor habilitado.", [("review", "")],
     "¿Tienen ya convenio con un gestor catastral?"),
    ("editor@cundinamarca.gov.co", ["25290", "25001"], "desastres", "Plan municipal de gestión del riesgo",
     "planeacion", "media", "virtual", "Los planes de gestión del riesgo no se han actualizado.",
     "Planes actualizados y adoptados por decreto.", [], ""),
    ("editor@medellin.gov.co", [], "tic", "Servicios ciudadanos digitales", "organizacional", "baja", "virtual",
     "Queremos integrar la sede electrónica con la carpeta ciudadana.", "La integración funcionando.",
     [("reject", "Medellín ya cuenta con el acompañamiento directo de MinTIC; los contactamos con ellos.")], ""),
]


def load() -> list[str]:
    coordinator = User.objects.filter(email="coordinador@dnp.gov.co").first()
    created: list[int] = []
    for (email, codes, sector, topic, capacity, priority, modality, problem, expected, moves,
         message) in DEMO_NEEDS:
        user = User.objects.filter(email=email).first()
        if user is None or Need.objects.filter(organization=user.organization, topic=topic).exists():
            continue
        data = {"sector": Sector.objects.get(slug=sector), "topic": topic, "capacity": capacity,
                "priority": priority, "modality": modality, "problem": problem, "expected_result": expected,
                "participants": 4, "window_start": timezone.localdate() + timedelta(days=30),
                "window_end": timezone.localdate() + timedelta(days=120)}
        needs = services.need_file(user=user, data=data, municipalities=Municipality.objects.filter(code__in=codes),
                                   submit=True)
        created += [need.pk for need in needs]
        for need in needs:
            for action, reason in moves if coordinator else []:
                services.need_transition(user=coordinator, need=need, action=action, reason=reason)
            if message and coordinator:
                services.need_message_add(user=coordinator, need=need, body=message)
    # Demo notices appear in the interface but are not e-mailed: claimed as sent before the
    # queued tasks run (they then find nothing to send).
    if not created:
        return []
    theirs = Q()
    for pk in created:
        theirs |= Q(key__startswith=f"demand:need:{pk}:")
    Notification.objects.filter(theirs, sent_at=None).update(sent_at=timezone.now())
    return [f"Demanda: {len(created)} solicitudes de demostración (Fusagasugá, Agua de Dios, Cundinamarca, Medellín)."]
