from django.db import migrations

from deals import seed


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]

    operations = [
        migrations.RunPython(seed.seed_parties, migrations.RunPython.noop),
        migrations.RunPython(seed.seed_categories, migrations.RunPython.noop),
        migrations.RunPython(seed.seed_currencies, migrations.RunPython.noop),
    ]
