from django.db import migrations


def load(apps, schema_editor):
    from apps.surveys.definitions import load_definitions

    names = {"Survey": "surveys", "Question": "surveys", "Option": "surveys",
             "Department": "territory", "NationalEntity": "territory"}
    load_definitions(models={name: apps.get_model(app, name) for name, app in names.items()})


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("territory", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
