"""Demo good practices, lessons and guidelines for `make run`.

Agua de Dios shares how it formulated its rural aqueduct (so Fusagasugá's aqueduct need shows it
under "¿Quién resolvió esto antes?"); other territories share theirs; a department and an entity
share lessons; MinVivienda and the DNP publish two guidelines with two versions each (small PDFs
written by `files.tiny_pdf`, no binary files in the repository). Through the services, so the
territories' memory has them. Idempotent: nothing is created twice.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import User
from apps.knowledge import services_practices as services
from apps.knowledge.files import tiny_pdf
from apps.knowledge.models import Guideline, Practice
from apps.offer.models import Service
from apps.territory.models import Municipality, Sector

MARKER = "Acueducto veredal formulado con la comunidad"

# (author e-mail, kind, title, sector, capacity, topics, what, result, evidence, municipality code or "")
PRACTICES = [
    ("editor@aguadedios.gov.co", "practica", MARKER, "agua-potable", "planeacion", "acueducto, veredas, regalías",
     "Con las juntas de acción comunal de tres veredas levantamos el diagnóstico, formulamos el proyecto del "
     "acueducto veredal en la MGA con el acompañamiento de MinVivienda y lo presentamos al OCAD.",
     "Proyecto aprobado con recursos de regalías; 420 familias con agua potable desde 2026.",
     "Acta del OCAD y ficha MGA del proyecto.", ""),
    ("editor@medellin.gov.co", "practica", "Sede electrónica integrada con la carpeta ciudadana", "tic",
     "organizacional", "sede electrónica, trámites en línea",
     "Integramos los trámites de la sede electrónica con la carpeta ciudadana digital, por etapas y con una "
     "mesa técnica mensual con MinTIC.", "El 60 % de los trámites se hace en línea.", "", ""),
    ("editor@antioquia.gov.co", "leccion", "Lo que aprendimos de la actualización catastral", "hacienda",
     "tecnica", "catastro, gestor catastral, predial",
     "Contratar el gestor catastral antes de tener la cartografía básica retrasó el proceso un año.",
     "Ahora los municipios firman primero el convenio de cartografía.", "", "05002"),
    ("editor@cundinamarca.gov.co", "practica", "Planes municipales de gestión del riesgo actualizados en bloque",
     "desastres", "planeacion", "gestión del riesgo, PMGRD",
     "La gobernación reunió a quince municipios en tres talleres para actualizar sus planes de gestión del "
     "riesgo con una misma plantilla.", "Quince planes adoptados por decreto en seis meses.", "", ""),
    ("editor@minvivienda.gov.co", "leccion", "Misiones conjuntas: un solo viaje, varias entidades", "agua-potable",
     "gestion", "misión conjunta, acueducto",
     "Viajar con la gobernación a Girardot evitó dos visitas separadas y el municipio preparó una sola agenda.",
     "Menos días de funcionarios fuera de la alcaldía.", "", "25307"),
]

# (author e-mail, kind, title, summary, sectors, capacities, categories, service names, [version notes])
GUIDELINES = [
    ("editor@minvivienda.gov.co", "guia", "Guía para formular proyectos de acueducto y alcantarillado",
     "Paso a paso para formular en la MGA proyectos de agua potable y saneamiento, con los requisitos del "
     "mecanismo de viabilización.", ["agua-potable"], ["planeacion", "tecnica"], ["4", "5", "6"],
     ["Asistencia para la formulación de proyectos de agua potable y saneamiento"],
     ["Primera edición", "Actualizada con los requisitos de 2026"]),
    ("coordinador@dnp.gov.co", "lineamiento", "Lineamientos de asistencia técnica territorial",
     "Cómo llegar al territorio: diagnóstico de capacidades, agenda coordinada, seguimiento y cierre.",
     ["planeacion", "fortalecimiento-institucional"], [], [],
     ["Kit de planeación territorial (KPT)"],
     ["Versión de consulta", "Versión con los aportes de los talleres de 2021"]),
]


def _pdf(title: str, number: int, notes: str) -> SimpleUploadedFile:
    lines = [f"Versión {number}: {notes}", "Documento de demostración de la Agenda ATT."]
    return SimpleUploadedFile(f"{title[:40]}.pdf", tiny_pdf(title, lines), content_type="application/pdf")


def load() -> list[str]:
    if Practice.objects.filter(title=MARKER).exists():
        return []
    users = {u.email: u for u in User.objects.filter(email__in={p[0] for p in PRACTICES} | {g[0] for g in GUIDELINES})}
    practices = guidelines = 0
    for email, kind, title, sector, capacity, topics, what, result, evidence, code in PRACTICES:
        user = users.get(email)
        if user is None:
            continue
        services.practice_create(user=user, data={
            "kind": kind, "title": title, "sector": Sector.objects.get(slug=sector), "capacity": capacity,
            "topics": topics, "what": what, "result": result, "evidence": evidence, "published": True,
            "municipality": Municipality.objects.filter(code=code).first() if code else None,
            "contact_name": user.full_name, "contact_email": user.email})
        practices += 1
    for email, kind, title, summary, sectors, capacities, categories, service_names, notes in GUIDELINES:
        user = users.get(email)
        if user is None or Guideline.objects.filter(title=title).exists():
            continue
        guideline = services.guideline_create(user=user, data={
            "kind": kind, "title": title, "summary": summary, "published": True, "capacities": capacities,
            "categories": categories, "sectors": list(Sector.objects.filter(slug__in=sectors)),
            "services": list(Service.objects.filter(name__in=service_names, organization=user.organization)),
        }, upload=_pdf(title, 1, notes[0]), notes=notes[0])
        for number, note in enumerate(notes[1:], start=2):
            services.guideline_version_add(user=user, guideline=guideline, upload=_pdf(title, number, note), notes=note)
        guidelines += 1
    return [f"Conocimiento: {practices} buenas prácticas y lecciones, {guidelines} orientaciones con dos versiones."]
