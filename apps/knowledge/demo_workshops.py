"""Demo workshop for `make run`: a problem-tree workshop Fusagasugá held with MinVivienda and the
Gobernación about rural water, recorded by the municipality's editor through the service (so it
joins the municipality's memory and its commitment is followed). The 2021 workshops themselves are
reference data (`load_reference_data`). Idempotent: nothing is written twice.
"""

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.knowledge.models import Workshop
from apps.knowledge.services_workshops import workshop_create
from apps.territory.models import Municipality

TITLE = "Taller de árbol de problemas: acueductos rurales de Fusagasugá"


def _tree() -> dict:
    def items(*texts, children=None):
        return [{"text": t, "children": [{"text": c} for c in (children or {}).get(t, [])]} for t in texts]

    return {
        "causes": items("Los proyectos de acueducto rural no se formulan con la metodología que exige la "
                        "financiación", "Las juntas de acueducto veredal no tienen quién las acompañe",
                        children={"Los proyectos de acueducto rural no se formulan con la metodología que "
                                  "exige la financiación": ["El equipo de planeación cambió tres veces en dos años",
                                                            "No se conocen las guías del ministerio"]}),
        "effects": items("Veredas sin agua potable continua", "Recursos de regalías sin ejecutar"),
        "objectives": items("Formular dos proyectos de acueducto rural con acompañamiento técnico",
                            "Fortalecer a las juntas de acueducto veredal",
                            children={"Formular dos proyectos de acueducto rural con acompañamiento técnico": [
                                "Mesa técnica mensual con MinVivienda"]}),
    }


def load() -> list[str]:
    from apps.core.models import Notification

    editor = User.objects.filter(email="editor@fusagasuga.gov.co").first()
    if editor is None or Workshop.objects.filter(title=TITLE).exists():
        return []
    started = timezone.now()
    today = timezone.localdate()
    fusagasuga = Municipality.objects.get(code="25290")
    workshop = workshop_create(user=editor, data={
        "title": TITLE, "held_on": today - timedelta(days=12), "place": "Casa de la Cultura, Fusagasugá",
        "organizer_names": ["Alcaldía de Fusagasugá (Cundinamarca)", "MinVivienda", "Gobernación de Cundinamarca"],
        "participants": "Secretaría de Planeación, juntas de acueducto veredal, MinVivienda, Gobernación",
        "participants_count": 27, "municipality": fusagasuga,
        "objective": "Entender por qué los acueductos rurales no llegan a financiarse y acordar quién hace qué.",
        "central_problem": "Las veredas de Fusagasugá no tienen proyectos de acueducto listos para financiarse.",
        "central_objective": "Proyectos de acueducto rural formulados y financiados.",
        "tree": _tree(), "answers_in_order": True,
        "challenges": ["Que el conocimiento no se pierda cuando cambie el equipo de planeación."],
        "commitments": [{"text": "Acompañar la formulación de los dos proyectos de acueducto rural",
                         "responsible": "MinVivienda", "due_on": today + timedelta(days=20)},
                        {"text": "Convocar la mesa técnica mensual", "responsible": "25290",
                         "due_on": today + timedelta(days=6)}],
    })
    Notification.objects.filter(created_at__gte=started, sent_at=None).update(sent_at=timezone.now())
    return [f"Conocimiento: taller «{workshop.title}» con su árbol de problemas y 2 compromisos."]
