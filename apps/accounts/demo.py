"""Demo people: one or more of every kind, all with the same printed password."""

from apps.accounts.models import User
from apps.accounts.services import organization_resolve, user_create

DEMO_PASSWORD = "Demo-ATT-2026"  # noqa: S105 - printed for local demos only

DEMO_USERS = [
    ("admin@agenda-att.co", "DNP", "admin", "Ana Administradora"),
    ("coordinador@dnp.gov.co", "DNP", "coordinator", "Carlos Coordinador"),
    ("editor@minvivienda.gov.co", "MinVivienda", "editor", "Valentina Vivienda"),
    ("editor@anm.gov.co", "ANM", "editor", "Mario Minería"),
    ("editor@esap.gov.co", "ESAP", "editor", "Elena ESAP"),
    ("editor@cundinamarca.gov.co", "25", "editor", "Diana Cundinamarca"),
    ("editor@antioquia.gov.co", "05", "editor", "Andrés Antioquia"),
    ("editor@fusagasuga.gov.co", "25290", "editor", "Fabio Fusagasugá"),
    ("editor@aguadedios.gov.co", "25001", "editor", "Gloria Agua de Dios"),
    ("editor@medellin.gov.co", "05001", "editor", "Marta Medellín"),
]


def load() -> list[str]:
    lines = []
    for email, org_code, role, name in DEMO_USERS:
        org = organization_resolve(org_code)
        if not User.objects.filter(email=email).exists():
            user_create(actor=None, email=email, password=DEMO_PASSWORD, organization=org, role=role, full_name=name)
        lines.append(f"  {email:<30} {role:<12} {org.name}")
    return lines
