from django.db import migrations


def load(apps, schema_editor):
    from apps.territory.reference import load_reference_data

    load_reference_data(
        department=apps.get_model("territory", "Department"),
        municipality=apps.get_model("territory", "Municipality"),
        sector=apps.get_model("territory", "Sector"),
        entity=apps.get_model("territory", "NationalEntity"),
    )


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
