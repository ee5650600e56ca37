"""The 2021 municipal questions the monitoring indicators set beside their figures (the 2021
baseline) get roles, so that indicators find them by role, never by key."""

from django.db import migrations

ROLES = {
    # key: (label, role) in municipios-2021, as in apps/surveys/definitions/surveys_2021.json
    "M02": ("Recibió asistencia del nivel nacional en 2021", "baseline:3 received_national_att"),
    "M19": ("Midió los cambios de la asistencia técnica", "measured_changes"),
}


def set_roles(apps, schema_editor):
    question_model = apps.get_model("surveys", "Question")
    for key, (label, role) in ROLES.items():
        question_model.objects.filter(survey__slug="municipios-2021", key=key).update(label=label, role=role)


def unset_roles(apps, schema_editor):
    question_model = apps.get_model("surveys", "Question")
    question_model.objects.filter(survey__slug="municipios-2021", key="M02").update(role="baseline:3")
    question_model.objects.filter(survey__slug="municipios-2021", key="M19").update(label="", role="")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_question_roles_2021")]
    operations = [migrations.RunPython(set_roles, unset_roles)]
