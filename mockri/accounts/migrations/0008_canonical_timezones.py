from django.db import migrations

from mockri.lib.tz import canonical_timezone


def canonicalise(apps, schema_editor):
    """Stored zones under an old name (a browser's Asia/Calcutta) take the canonical one."""
    User = apps.get_model("accounts", "User")
    for zone in User.objects.values_list("timezone", flat=True).distinct():
        if canonical_timezone(zone) != zone:
            User.objects.filter(timezone=zone).update(timezone=canonical_timezone(zone))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_consent_source_interviewer_application")]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
