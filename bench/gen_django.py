#!/usr/bin/env python3
"""The Django project equivalent to a bench/gen_project.py Strata project.

    gen_django.py OUTDIR --relations N --rules M --migrations K [--seed S]
                  [--clauses-per-rule R] [--added-columns C]

takes the same arguments as gen_project.py (it calls its `build_project`, so
the relations, columns and history are the same) and writes

    OUTDIR/manage.py, OUTDIR/benchsite/settings.py   (SQLite in OUTDIR, no other apps)
    OUTDIR/benchapp/models.py                          one model a relation
    OUTDIR/benchapp/migrations/NNNN_*.py               K migrations

Relation `rel_I` becomes model `RelI`; its `id` column is Django's implicit
AutoField primary key, the other columns are IntegerField / FloatField /
CharField(max_length=255) / BooleanField. Each Strata migration becomes one
Django migration with the same number and name, depending on the previous
one: `create relation` -> CreateModel, `add column ... = FILL` -> AddField
with `default=FILL` (the model field keeps the default, so the autodetector
sees no change). Derived relations and their rules have no Django
equivalent: a migration that only creates rules is an empty Django
migration, which keeps the history the same length.
`python3 manage.py makemigrations --check --dry-run` reports no changes.

One-change variant: with the environment variable BENCH_ONE_CHANGE=1,
models.py gives model Rel1 one extra field (`bench_extra =
IntegerField(default=0)`), the same change the benchmark makes to `rel_1`
in the Strata schema; makemigrations then finds one AddField.
The same arguments always give byte-identical output.
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_project import build_project  # noqa: E402

FIELD = {"int": "IntegerField", "float": "FloatField", "string": "CharField", "bool": "BooleanField"}
DEFAULT = {"int": "0", "float": "0.0", "string": "''", "bool": "False"}
APP = "benchapp"

MANAGE = '''#!/usr/bin/env python3
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
'''

SETTINGS = '''import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "bench-not-secret"
DEBUG = False
INSTALLED_APPS = ["benchapp"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
'''


def model_name(rel):
    return "Rel" + rel.name[len("rel_"):]


def field_expr(t, fill):
    args = []
    if t == "string":
        args.append("max_length=255")
    if fill is not None:
        args.append(f"default={DEFAULT[t]}")
    return f"models.{FIELD[t]}({', '.join(args)})"


def write_models(path, rels):
    out = ["from django.db import models\n", "import os\n\n",
           "ONE_CHANGE = os.environ.get('BENCH_ONE_CHANGE') == '1'\n"]
    for r in rels:
        out.append(f"\n\nclass {model_name(r)}(models.Model):\n")
        for name, t, fill in r.columns:
            if name == "id":
                continue  # Django's implicit AutoField primary key
            out.append(f"    {name} = {field_expr(t, fill)}\n")
        if r.name == "rel_1":
            out.append("    if ONE_CHANGE:\n        bench_extra = models.IntegerField(default=0)\n")
    with open(path, "w") as f:
        f.write("".join(out))


def write_migration(path, name, prev, ops):
    out = ["from django.db import migrations, models\n\n\n",
           "class Migration(migrations.Migration):\n\n"]
    if prev is None:
        out.append("    initial = True\n\n    dependencies = []\n\n")
    else:
        out.append(f"    dependencies = [\n        ('{APP}', '{prev}'),\n    ]\n\n")
    out.append("    operations = [\n")
    for op in ops:
        if op[0] == "create_relation":
            r = op[1]
            out.append("        migrations.CreateModel(\n"
                       f"            name='{model_name(r)}',\n"
                       "            fields=[\n"
                       "                ('id', models.AutoField(auto_created=True, primary_key=True, "
                       "serialize=False, verbose_name='ID')),\n")
            for cname, t, _ in r.columns[1:r.initial]:
                out.append(f"                ('{cname}', {field_expr(t, None)}),\n")
            out.append("            ],\n        ),\n")
        elif op[0] == "add_column":
            r, (cname, t, fill) = op[1], op[2]
            out.append("        migrations.AddField(\n"
                       f"            model_name='{model_name(r).lower()}',\n"
                       f"            name='{cname}',\n"
                       f"            field={field_expr(t, fill)},\n"
                       "        ),\n")
        # create_rule: derived relations have no Django equivalent.
    out.append("    ]\n")
    with open(path, "w") as f:
        f.write("".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--relations", type=int, required=True)
    ap.add_argument("--rules", type=int, required=True)
    ap.add_argument("--migrations", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clauses-per-rule", type=int, default=2)
    ap.add_argument("--added-columns", type=int, default=None)
    a = ap.parse_args()
    rels, derived, migrations = build_project(a.relations, a.rules, a.migrations, a.seed,
                                              a.clauses_per_rule, a.added_columns)
    if os.path.isdir(a.outdir):
        shutil.rmtree(a.outdir)
    app = os.path.join(a.outdir, APP)
    migdir = os.path.join(app, "migrations")
    site = os.path.join(a.outdir, "benchsite")
    for d in (migdir, site):
        os.makedirs(d)
    with open(os.path.join(a.outdir, "manage.py"), "w") as f:
        f.write(MANAGE)
    with open(os.path.join(site, "__init__.py"), "w"):
        pass
    with open(os.path.join(site, "settings.py"), "w") as f:
        f.write(SETTINGS)
    with open(os.path.join(app, "__init__.py"), "w"):
        pass
    with open(os.path.join(migdir, "__init__.py"), "w"):
        pass
    write_models(os.path.join(app, "models.py"), rels)
    prev = None
    for name, ops in migrations:
        write_migration(os.path.join(migdir, f"{name}.py"), name, prev, ops)
        prev = name
    n_create = sum(1 for _, ops in migrations for op in ops if op[0] == "create_relation")
    n_add = sum(1 for _, ops in migrations for op in ops if op[0] == "add_column")
    n_empty = sum(1 for _, ops in migrations if not any(op[0] != "create_rule" for op in ops))
    print(f"{len(rels)} models, {len(migrations)} migrations ({n_create} CreateModel, "
          f"{n_add} AddField, {n_empty} empty); {len(derived)} derived relations have no "
          f"Django equivalent")


if __name__ == "__main__":
    main()
