from django.db import migrations


def load(apps, schema_editor):
    from apps.monitoring.definitions import load_followup_definitions

    names = {"Survey": "surveys", "Question": "surveys", "Option": "surveys", "FollowUpTemplate": "monitoring"}
    load_followup_definitions(models={name: apps.get_model(app, name) for name, app in names.items()})


class Migration(migrations.Migration):
    """The three live follow-up surveys and the four follow-up templates (apps/monitoring/definitions)."""

    dependencies = [("monitoring", "0001_initial"), ("surveys", "0004_live_submissions_scale_questions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
