"""Demo catalogue for `make run`: realistic services, written for the demo, all published.

Idempotent: a service is identified by (organisation, name) and created only once.
"""

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import organization_resolve
from apps.core.text import normalize
from apps.offer.models import Service
from apps.territory.models import Department, Sector

# Each row: owner code, name, summary, sector slugs, capacities, type, modality, delivery,
# department codes (None: the whole country), yearly capacity, duration and cost band.
CATALOGUE = [
    ("MinVivienda", "Asistencia para la formulación de proyectos de agua potable y saneamiento",
     "Acompañamos a los municipios en la estructuración de proyectos de acueducto y alcantarillado para "
     "presentarlos al mecanismo de viabilización.", ["agua-potable"], ["planeacion", "tecnica"],
     "estructuracion", "mixta", "desconcentrada", None, 120, "6 meses", "gratuito"),
    ("MinVivienda", "Revisión y ajuste de planes de ordenamiento territorial (POT)",
     "Orientación técnica para la revisión general, excepcional o de mediano plazo del POT, EOT o PBOT.",
     ["vivienda", "planeacion"], ["planeacion", "gestion"], "acompanamiento", "mixta", "centralizada", None, 60,
     "12 meses", "gratuito"),
    ("MinVivienda", "Capacitación en gestión del suelo y vivienda de interés social",
     "Curso virtual sobre instrumentos de gestión del suelo, planes parciales y habilitación de suelo para VIS.",
     ["vivienda"], ["tecnica", "gestion"], "capacitacion", "virtual", "centralizada", None, 400, "8 semanas",
     "gratuito"),
    ("MinVivienda", "Mesa técnica de prestación de servicios de aseo",
     "Mesas con prestadores y alcaldías para mejorar la gestión de residuos sólidos y el cierre de botaderos.",
     ["agua-potable", "ambiente"], ["gestion", "ejecucion"], "mesa_tecnica", "presencial", "desconcentrada",
     ["25", "05", "68", "76"], 40, "3 sesiones", "gratuito"),
    ("ANM", "Formalización minera y legalización de pequeños mineros",
     "Acompañamiento a alcaldías para orientar a mineros tradicionales en los trámites de formalización.",
     ["minas-energia"], ["gestion", "tecnica"], "acompanamiento", "presencial", "desconcentrada",
     ["05", "27", "19", "52", "15"], 50, "4 meses", "gratuito"),
    ("ANM", "Fiscalización minera para autoridades municipales",
     "Capacitación sobre el papel del alcalde frente a la minería ilegal y el amparo administrativo.",
     ["minas-energia", "justicia"], ["tecnica"], "capacitacion", "virtual", "centralizada", None, 300,
     "2 días", "gratuito"),
    ("ANM", "Guía de regalías y proyectos en municipios mineros",
     "Guía práctica para invertir bien las regalías de la explotación minera en proyectos de impacto local.",
     ["minas-energia", "hacienda"], ["planeacion"], "herramienta", "virtual", "centralizada", None, None,
     "Consulta libre", "gratuito"),
    ("ESAP", "Diplomado en gestión pública territorial",
     "Formación para servidores de alcaldías y gobernaciones en planeación, presupuesto, contratación y "
     "control interno.", ["fortalecimiento-institucional", "empleo-publico"], ["organizacional", "gestion"],
     "capacitacion", "mixta", "desconcentrada", None, 800, "120 horas", "gratuito"),
    ("ESAP", "Inducción a nuevos mandatarios y concejales",
     "Programa de inducción sobre competencias, finanzas públicas y rendición de cuentas para autoridades "
     "recién elegidas.", ["fortalecimiento-institucional"], ["organizacional"], "capacitacion", "presencial",
     "desconcentrada", None, 1100, "3 días", "gratuito"),
    ("ESAP", "Asesoría en modernización de la estructura administrativa",
     "Acompañamos el rediseño institucional: estudio técnico, manual de funciones y planta de personal.",
     ["fortalecimiento-institucional", "empleo-publico"], ["organizacional"], "acompanamiento", "mixta",
     "desconcentrada", None, 80, "6 meses", "cofinanciado"),
    ("ESAP", "Curso de contratación estatal y SECOP II",
     "Curso práctico sobre las modalidades de selección, la planeación contractual y el uso de SECOP II.",
     ["fortalecimiento-institucional"], ["gestion", "ejecucion"], "capacitacion", "virtual", "centralizada",
     None, 2000, "40 horas", "gratuito"),
    ("DNP", "Kit de planeación territorial (KPT)",
     "Herramienta para formular el plan de desarrollo: diagnóstico, parte estratégica y plan de inversiones.",
     ["planeacion"], ["planeacion"], "herramienta", "virtual", "centralizada", None, None, "Consulta libre",
     "gratuito"),
    ("DNP", "Acompañamiento en la estructuración de proyectos con el Sistema General de Regalías",
     "Apoyo técnico para formular proyectos en la Metodología General Ajustada y cargarlos en SUIFP-SGR.",
     ["planeacion", "hacienda"], ["planeacion", "ejecucion"], "estructuracion", "mixta", "desconcentrada", None,
     150, "3 meses", "gratuito"),
    ("DNP", "Medición del desempeño municipal (MDM): lectura de resultados",
     "Taller para interpretar los resultados del MDM y convertirlos en acciones de mejora de la gestión.",
     ["planeacion", "fortalecimiento-institucional"], ["gestion", "planeacion"], "capacitacion", "virtual",
     "centralizada", None, 500, "1 día", "gratuito"),
    ("DNP", "Catastro multipropósito: ruta para gestores catastrales",
     "Orientación para habilitarse como gestor catastral o contratar la actualización catastral del municipio.",
     ["hacienda", "planeacion"], ["tecnica", "gestion"], "acompanamiento", "mixta", "centralizada", None, 70,
     "6 meses", "cofinanciado"),
    ("Función Pública", "Implementación del Modelo Integrado de Planeación y Gestión (MIPG)",
     "Asesoría para implementar MIPG, diligenciar el FURAG y formular planes de mejoramiento.",
     ["fortalecimiento-institucional"], ["organizacional", "gestion"], "acompanamiento", "mixta",
     "desconcentrada", None, 300, "4 meses", "gratuito"),
    ("Función Pública", "Rendición de cuentas y participación ciudadana",
     "Capacitación y caja de herramientas para preparar audiencias públicas de rendición de cuentas.",
     ["fortalecimiento-institucional", "desarrollo-comunitario"], ["gestion"], "capacitacion", "virtual",
     "centralizada", None, 600, "2 semanas", "gratuito"),
    ("Función Pública", "Guía de integridad y prevención de conflictos de interés",
     "Guía y plantillas para adoptar el código de integridad y gestionar los conflictos de interés.",
     ["fortalecimiento-institucional", "organismos-control"], ["organizacional"], "herramienta", "virtual",
     "centralizada", None, None, "Consulta libre", "gratuito"),
    ("Función Pública", "Mesa técnica de empleo público territorial",
     "Mesas para resolver dudas sobre concursos, provisión de empleos, evaluación del desempeño y SIGEP.",
     ["empleo-publico"], ["organizacional", "tecnica"], "mesa_tecnica", "virtual", "centralizada", None, 200,
     "Sesiones mensuales", "gratuito"),
    ("MinAgricultura", "Formulación del Plan de Desarrollo Agropecuario y Rural (PDEA)",
     "Acompañamiento a secretarías de agricultura para formular y aprobar el PDEA con enfoque territorial.",
     ["agricultura", "planeacion"], ["planeacion"], "acompanamiento", "mixta", "desconcentrada", None, 32,
     "5 meses", "gratuito"),
    ("MinAgricultura", "Extensión agropecuaria: habilitación de EPSEA",
     "Asesoría para contratar el servicio público de extensión agropecuaria y registrar las EPSEA.",
     ["agricultura"], ["gestion", "ejecucion"], "acompanamiento", "virtual", "centralizada", None, 150,
     "3 meses", "gratuito"),
    ("MinAgricultura", "Estructuración de proyectos productivos rurales",
     "Apoyo para formular proyectos de alianzas productivas, riego y comercialización con organizaciones "
     "campesinas.", ["agricultura", "promocion-desarrollo"], ["tecnica", "ejecucion"], "estructuracion",
     "presencial", "desconcentrada", ["25", "15", "68", "73", "41", "52"], 60, "6 meses", "cofinanciado"),
    ("MinAgricultura", "Capacitación en compras públicas locales de alimentos",
     "Cómo aplicar la Ley 2046 de 2020 para comprar a la agricultura campesina en el PAE y otros programas.",
     ["agricultura", "educacion"], ["gestion"], "capacitacion", "virtual", "centralizada", None, 500,
     "2 sesiones", "gratuito"),
    ("25", "Asistencia técnica en formulación de proyectos municipales",
     "La Secretaría de Planeación de Cundinamarca acompaña a los municipios en la formulación de proyectos "
     "de inversión.", ["planeacion"], ["planeacion", "ejecucion"], "estructuracion", "presencial",
     "desconcentrada", ["25"], 116, "Permanente", "gratuito"),
    ("25", "Fortalecimiento de secretarías de hacienda municipales",
     "Acompañamiento en estatuto tributario, actualización de rentas y saneamiento fiscal.",
     ["hacienda"], ["gestion", "tecnica"], "acompanamiento", "mixta", "desconcentrada", ["25"], 40, "4 meses",
     "gratuito"),
    ("25", "Gestión del riesgo de desastres para consejos municipales",
     "Capacitación a los consejos municipales de gestión del riesgo en planes de emergencia y contingencia.",
     ["desastres"], ["tecnica", "organizacional"], "capacitacion", "presencial", "desconcentrada", ["25"], 116,
     "2 días", "gratuito"),
    ("MinTIC", "Gobierno digital para alcaldías",
     "Acompañamiento para la política de gobierno digital: trámites en línea, datos abiertos y seguridad digital.",
     ["tic", "fortalecimiento-institucional"], ["tecnica", "gestion"], "acompanamiento", "virtual",
     "centralizada", None, 250, "3 meses", "gratuito"),
    ("MinSalud", "Asistencia técnica en el Plan de Salud Pública de Intervenciones Colectivas",
     "Orientación para formular y ejecutar el PIC y reportar su seguimiento.",
     ["salud"], ["planeacion", "ejecucion"], "acompanamiento", "mixta", "desconcentrada", None, 300, "Anual",
     "gratuito"),
    ("UNGRD", "Formulación de planes municipales de gestión del riesgo",
     "Guía y acompañamiento para actualizar el PMGRD y la estrategia municipal de respuesta a emergencias.",
     ["desastres", "planeacion"], ["planeacion", "tecnica"], "herramienta", "mixta", "desconcentrada", None, 200,
     "3 meses", "gratuito"),
    ("MinEducación", "Mesa técnica del Programa de Alimentación Escolar",
     "Mesas con entidades territoriales certificadas para planear y hacer seguimiento al PAE.",
     ["educacion"], ["gestion", "ejecucion"], "mesa_tecnica", "virtual", "centralizada", None, 96,
     "Sesiones bimestrales", "gratuito"),
]


def load() -> list[str]:
    sectors = {s.slug: s for s in Sector.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    created = 0
    for (org_code, name, summary, sector_slugs, capacities, kind, modality, delivery, dept_codes, capacity,
         duration, cost) in CATALOGUE:
        org = organization_resolve(org_code)
        if Service.objects.filter(organization=org, name=name).exists():
            continue
        editor = User.objects.filter(organization=org).first()
        domain = (normalize(org.national_entity.acronym).replace(" ", "") if org.national_entity_id
                  else "dnp" if org.kind == "dnp" else "gobernacion")
        service = Service(
            organization=org, name=name, summary=summary,
            description=summary + "\n\nIncluye orientación previa, sesiones de trabajo con el equipo de la "
            "entidad territorial y seguimiento a los compromisos acordados.",
            topics=", ".join(sectors[s].name.lower() for s in sector_slugs), capacities=capacities,
            assistance_type=kind,
            modality=modality, delivery=delivery,
            audience=["municipios", "departamentos"] if org.kind != "department" else ["municipios"],
            municipal_categories=["4", "5", "6"] if capacity and capacity > 100 else [],
            nationwide=dept_codes is None, yearly_capacity=capacity, duration=duration, cost_band=cost,
            funding_source="Presupuesto de funcionamiento de la entidad" if cost == "gratuito" else
            "Cofinanciación entre la entidad y el municipio",
            requirements="Solicitud firmada por el alcalde o el secretario de planeación.",
            contact_name="Equipo de asistencia técnica territorial", contact_email=f"att@{domain}.gov.co",
            contact_phone="601 000 0000", valid_from=timezone.localdate().replace(month=1, day=1),
            links="Página de la entidad | https://www.dnp.gov.co/",
            status=Service.Status.PUBLISHED, published_at=timezone.now(),
        )
        service._history_user = editor
        service.save()
        service.sectors.set([sectors[s] for s in sector_slugs])
        if dept_codes:
            service.departments.set([departments[c] for c in dept_codes])
        created += 1
    total = Service.objects.filter(status=Service.Status.PUBLISHED).count()
    return [f"Oferta: {created} servicios de demostración nuevos; {total} publicados en el catálogo (/oferta/)."]

